/**
 * One group's keys inside the memory pool. Usable keys sit in an array (each entry knows its slot, so removal is
 * a swap with the last one) walked by a round-robin cursor; cooling keys sit in a min-heap by `cooling_until` and
 * come back when their time has passed. Heap items are not removed when a key leaves the cooling state early
 * (admin restore, reload): they are recognised as stale and dropped when they reach the top.
 * Paced keys (at their RPM or concurrency limit) stay `active` but rest out of the rotation the same way: an RPM rest
 * in a second heap by the time its window frees, a concurrency rest until one of its requests is released.
 */
import type { KeyStatus } from '../../db/types'
import { MinHeap } from './min-heap'
import { PACE_WAKE_PER_PICK, type PaceWindow } from './pace-window'
import type { GroupPoolStats, KeyPace } from './types'
import { NO_PACE } from './types'

/** Why an active key is out of the rotation (it is not cooling: no penalty, no status change). */
export type Rest = 'none' | 'rpm' | 'concurrency'

export interface KeyEntry {
  id: number
  groupId: number
  value: string
  hash: string
  status: KeyStatus
  coolingUntil: number | null
  /** consecutive key failures */
  failures: number
  /** consecutive rate limits (drives the growing default cooldown) */
  rateLimits: number
  /** index in `usable`, -1 when not usable */
  slot: number
  /** times of the last picks (only once the group is RPM-paced) */
  window: PaceWindow | null
  /** picks holding a concurrency slot */
  inFlight: number
  rest: Rest
  /** when an RPM rest ends */
  restUntil: number
}

export class GroupKeys {
  readonly entries = new Map<number, KeyEntry>()
  readonly counts: GroupPoolStats = { active: 0, cooling: 0, invalid: 0, disabled: 0 }
  private readonly usable: KeyEntry[] = []
  private cursor = 0
  private readonly cooling = new MinHeap<KeyEntry>()
  private readonly resting = new MinHeap<KeyEntry>()
  /** the limits the last pick was given: a released or woken key is measured against them */
  pace: KeyPace = NO_PACE
  /** picks of the group holding a concurrency slot */
  inFlight = 0

  /** `work.looked` counts the keys picks looked at (tests assert a pick does not scan) */
  constructor(private readonly work: { looked: number } = { looked: 0 }) {}

  /** Add a key in its own state; a cooling key whose time has passed must be given as active. */
  add(entry: KeyEntry): void {
    this.entries.set(entry.id, entry)
    this.counts[entry.status]++
    this.inFlight += entry.inFlight
    this.place(entry)
  }

  remove(entry: KeyEntry): void {
    this.unplace(entry)
    this.counts[entry.status]--
    this.inFlight -= entry.inFlight
    this.entries.delete(entry.id)
  }

  /** Change a key's state: leaves its old place (usable array or heap) and takes the new one. */
  moveTo(entry: KeyEntry, status: KeyStatus, coolingUntil: number | null = null): void {
    this.unplace(entry)
    this.counts[entry.status]--
    entry.status = status
    entry.coolingUntil = status === 'cooling' ? coolingUntil : null
    this.counts[status]++
    this.place(entry)
  }

  /** Cooling keys whose time has passed become active again; each one is handed to `woken`. */
  wakeDue(now: number, woken: (entry: KeyEntry) => void): void {
    for (let at = this.cooling.peekAt(); at !== undefined && at <= now; at = this.cooling.peekAt()) {
      const entry = this.cooling.pop()!.value
      if (!this.isCurrentCooling(entry, at)) continue
      this.moveTo(entry, 'active')
      woken(entry)
    }
    let woke = 0
    for (let at = this.resting.peekAt(); at !== undefined && at <= now && woke < PACE_WAKE_PER_PICK; at = this.resting.peekAt()) {
      const entry = this.resting.pop()!.value
      this.work.looked++
      woke++
      if (entry.rest !== 'rpm' || entry.restUntil !== at || this.entries.get(entry.id) !== entry) continue
      this.restAs(entry, this.atConcurrencyLimit(entry) ? 'concurrency' : 'none')
    }
  }

  /** Take a key out of the rotation (or put it back with 'none'); its status does not change. */
  restAs(entry: KeyEntry, rest: Rest, until = 0): void {
    // the key just picked rests: the cursor stays on its slot, which now holds a key not served this round
    if (entry.slot >= 0 && this.cursor === entry.slot + 1) this.cursor = entry.slot
    this.unplace(entry)
    entry.rest = rest
    entry.restUntil = rest === 'rpm' ? until : 0
    this.place(entry)
  }

  atConcurrencyLimit(entry: KeyEntry): boolean {
    return this.pace.concurrency > 0 && entry.inFlight >= this.pace.concurrency
  }

  /** the earliest time a cooling or RPM-resting key comes back (stale heap items may make it early) */
  earliestReturn(): number | undefined {
    const a = this.cooling.peekAt()
    const b = this.resting.peekAt()
    return a === undefined ? b : b === undefined ? a : Math.min(a, b)
  }

  /**
   * Next usable key by round-robin, skipping `exclude`. Looks at each usable key at most once; since the cursor
   * walks consecutive slots, it passes at most |exclude| keys before it finds one.
   */
  next(exclude?: ReadonlySet<number>): KeyEntry | null {
    const n = this.usable.length
    for (let tried = 0; tried < n; tried++) {
      const i = (this.cursor + tried) % n
      const entry = this.usable[i]!
      this.work.looked++
      if (exclude?.has(entry.id)) continue
      this.cursor = (i + 1) % n
      return entry
    }
    return null
  }

  private place(entry: KeyEntry): void {
    if (entry.status === 'active' && entry.rest === 'rpm') this.resting.push(entry.restUntil, entry)
    else if (entry.status === 'active' && entry.rest === 'concurrency') return
    else if (entry.status === 'active') {
      entry.slot = this.usable.length
      this.usable.push(entry)
    } else if (entry.status === 'cooling') {
      this.cooling.push(entry.coolingUntil ?? 0, entry)
    }
  }

  private unplace(entry: KeyEntry): void {
    if (entry.slot < 0) return
    const last = this.usable.pop()!
    if (last !== entry) {
      this.usable[entry.slot] = last
      last.slot = entry.slot
    }
    entry.slot = -1
  }

  private isCurrentCooling(entry: KeyEntry, at: number): boolean {
    return entry.status === 'cooling' && entry.coolingUntil === at && this.entries.get(entry.id) === entry
  }
}
