import { expect, test } from 'bun:test'
import { addHourlyStat, mergeHourlyStats } from '../../db/hourly-stats'
import type { HourlyStat } from '../../db/types'

const row = (hour: number, group_id: number, n: number): HourlyStat => ({
  hour, group_id, success_count: n, failure_count: 1, prompt_tokens: 10 * n, completion_tokens: 100 * n, access_key_id: 0, model: '', cost_micros: 0, cache_hits: n,
})

test('rows of one (hour, group) are summed; other pairs stay apart', () => {
  expect(mergeHourlyStats([row(0, 1, 1), row(0, 2, 2), row(0, 1, 3), row(3_600_000, 1, 4)])).toEqual([
    { hour: 0, group_id: 1, success_count: 4, failure_count: 2, prompt_tokens: 40, completion_tokens: 400, access_key_id: 0, model: '', cost_micros: 0, cache_hits: 4 },
    row(0, 2, 2),
    row(3_600_000, 1, 4),
  ])
})

test('adding never mutates the row given', () => {
  const into = new Map<string, HourlyStat>()
  const first = row(0, 1, 1)
  addHourlyStat(into, first)
  addHourlyStat(into, row(0, 1, 1))
  expect(first).toEqual(row(0, 1, 1))
  expect([...into.values()]).toEqual([{ ...row(0, 1, 2), failure_count: 2 }])
})
