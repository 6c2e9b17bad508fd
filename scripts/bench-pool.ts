/**
 * Key pick cost by pool size (part of `bun run bench`) on the in-process pool with 10, 1,000 and 100,000 keys:
 * pick alone (O(1): the same cost at every size) and pick + success report over the whole rotation (at 100,000
 * keys every report touches another key's counters, so that column shows memory, not the algorithm), and a paced
 * pick + release (an RPM window and a concurrency slot per key, limits high enough that no key rests).
 */
import type { ApiKey } from '../db/types'
import { MemoryKeyPool } from '../server/pool/memory'

function keys(n: number): ApiKey[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1, group_id: 1, key_value: `sk-bench-${i}`, key_hash: `h${i}`, status: 'active', cooling_until: null,
    failure_count: 0, request_count: 0, last_used_at: null, notes: '', created_at: 0, updated_at: 0,
  }))
}

export async function benchPool(): Promise<string[]> {
  const lines = ['| keys | pick ns/op | pick + report ns/op | paced pick + release ns/op |', '|---|---|---|---|']
  for (const n of [10, 1_000, 100_000]) {
    const pool = new MemoryKeyPool({ persist: async () => {}, clock: { now: () => Date.now() }, flushIntervalMs: 60_000 })
    await pool.loadGroup(1, keys(n))
    const policy = { blacklistThreshold: 3 }
    const ops = 1_000_000
    for (let i = 0; i < 100_000; i++) pool.report(pool.pick(1)!, { kind: 'success' }, policy)
    let t = Bun.nanoseconds()
    for (let i = 0; i < ops; i++) pool.pick(1)
    const pick = (Bun.nanoseconds() - t) / ops
    t = Bun.nanoseconds()
    for (let i = 0; i < ops; i++) pool.report(pool.pick(1)!, { kind: 'success' }, policy)
    const both = (Bun.nanoseconds() - t) / ops
    const pace = { rpm: ops, concurrency: 1000, leaseMs: 600_000 }
    t = Bun.nanoseconds()
    for (let i = 0; i < ops; i++) pool.release(pool.pick(1, undefined, pace)!)
    const paced = (Bun.nanoseconds() - t) / ops
    lines.push(`| ${n.toLocaleString('en-US')} | ${pick.toFixed(0)} | ${both.toFixed(0)} | ${paced.toFixed(0)} |`)
    await pool.close()
  }
  return lines
}

if (import.meta.main) console.log((await benchPool()).join('\n'))
