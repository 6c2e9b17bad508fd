import { expect, test } from 'bun:test'
import { mapLimit } from '../../server/shared/map-limit'

test('mapLimit keeps order and never exceeds its limit', async () => {
  let inFlight = 0
  let peak = 0
  const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    peak = Math.max(peak, ++inFlight)
    await Promise.resolve()
    inFlight--
    return n * 2
  })
  expect(out).toEqual([2, 4, 6, 8, 10, 12, 14])
  expect(peak).toBe(3)
})

test('mapLimit over nothing resolves to nothing without calling fn', async () => {
  expect(await mapLimit([], 4, () => Promise.reject(new Error('not called')))).toEqual([])
})
