/**
 * One group's keys inside the memory pool. Usable keys sit in an array (each entry knows its slot, so removal is
 * a swap with the last one) walked by a round-robin cursor; cooling keys sit in a min-heap by `cooling_until` and
 * come back when their time has passed. Heap items are not removed when a key leaves the cooling state early
 * (admin restore, reload): they are recognised as stale and dropped when they reach the top.
 */
import type { KeyStatus } from '../../db/types'
import { MinHeap } from './min-heap'
import type { GroupPoolStats } from './types'

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
}

export class GroupKeys {
  readonly entries = new Map<number, KeyEntry>()
  readonly counts: GroupPoolStats = { active: 0, cooling: 0, invalid: 0, disabled: 0 }
  private readonly usable: KeyEntry[] = []
  private cursor = 0
  private readonly cooling = new MinHeap<KeyEntry>()

  /** Add a key in its own state; a cooling key whose time has passed must be given as active. */
  add(entry: KeyEntry): void {
    this.entries.set(entry.id, entry)
    this.counts[entry.status]++
    this.place(entry)
  }

  remove(entry: KeyEntry): void {
    this.unplace(entry)
    this.counts[entry.status]--
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
      if (exclude?.has(entry.id)) continue
      this.cursor = (i + 1) % n
      return entry
    }
    return null
  }

  private place(entry: KeyEntry): void {
    if (entry.status === 'active') {
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
