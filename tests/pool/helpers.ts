/** Test parts for the pool: a clock the test moves by hand and key rows as the store returns them. */
import { afterEach } from 'bun:test'
import type { ApiKey, KeyStateUpdate, KeyStatus } from '../../db/types'
import type { KeyPool } from '../../server/pool/types'
import type { Clock } from '../../server/shared/clock'

export class ManualClock implements Clock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export function keyRow(id: number, groupId: number, patch: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    group_id: groupId,
    key_value: `sk-test-${groupId}-${id}-secret`,
    key_hash: `hash-${id}`,
    status: 'active' as KeyStatus,
    cooling_until: null,
    failure_count: 0,
    request_count: 0,
    last_used_at: null,
    notes: '',
    created_at: 0,
    updated_at: 0,
    ...patch,
  }
}

/** ids first..first+count-1, all active */
export function keyRows(groupId: number, count: number, first = 1): ApiKey[] {
  return Array.from({ length: count }, (_, i) => keyRow(first + i, groupId))
}

/** How a suite gets the pool under test (memory, Redis, failover), on the suite's clock. */
export type MakePool = (clock: ManualClock) => Promise<{ pool: KeyPool; persisted: KeyStateUpdate[]; looked: () => number }>

/** Inside a describe: each call makes a fresh pool on its own manual clock, closed after the test that made it. */
export function poolPerTest(make: MakePool) {
  const open: KeyPool[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()))
  })
  return async () => {
    const clock = new ManualClock()
    const made = await make(clock)
    open.push(made.pool)
    return { clock, ...made }
  }
}
