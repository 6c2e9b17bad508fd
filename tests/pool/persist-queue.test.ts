import { expect, test } from 'bun:test'
import type { KeyStateUpdate } from '../../db/types'
import { PersistQueue } from '../../server/pool/persist-queue'

const HOUR = 3_600_000

test('a failed batch is merged under newer updates: counters add up, newer state wins', async () => {
  const writes: KeyStateUpdate[][] = []
  let fail = true
  const q = new PersistQueue(async (u) => {
    if (fail) throw new Error('down')
    writes.push(u)
  }, HOUR)
  q.countUse(1, 100)
  q.change(1, { status: 'cooling', cooling_until: 500 })
  await expect(q.flush()).rejects.toThrow('down')
  q.countUse(1, 200)
  q.countUse(2, 150)
  q.change(1, { status: 'active', cooling_until: null })
  fail = false
  await q.close()
  expect(writes).toEqual([
    [
      { id: 1, requests: 2, last_used_at: 200, status: 'active', cooling_until: null },
      { id: 2, requests: 1, last_used_at: 150 },
    ],
  ])
})

test('flush waits for the write in flight and then writes what came in meanwhile', async () => {
  const writes: KeyStateUpdate[][] = []
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const q = new PersistQueue(async (u) => {
    writes.push(u)
    if (writes.length === 1) await gate
  }, HOUR)
  q.countUse(1, 1)
  const first = q.flush()
  q.countUse(2, 2)
  const second = q.flush()
  expect(writes).toHaveLength(1)
  release()
  await Promise.all([first, second])
  expect(writes).toEqual([[{ id: 1, requests: 1, last_used_at: 1 }], [{ id: 2, requests: 1, last_used_at: 2 }]])
  await q.close()
})

test('nothing queued: no write at all', async () => {
  let calls = 0
  const q = new PersistQueue(async () => void calls++, HOUR)
  await q.flush()
  await q.close()
  expect(calls).toBe(0)
})
