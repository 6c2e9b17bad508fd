/**
 * Smooth weighted round-robin (the nginx algorithm): each pick adds every weight to its current value, takes
 * the largest and subtracts the total from it. Even spread, no bursts, O(n) in upstreams (a handful).
 * Weight 0 = off. Upstreams whose circuit is open are skipped unless every one is open.
 */
export interface WeightedTarget<T> {
  target: T
  weight: number
  current: number
}

export class SmoothWeighted<T> {
  private items: WeightedTarget<T>[]

  constructor(entries: { target: T; weight: number }[]) {
    this.items = entries.filter((e) => e.weight > 0).map((e) => ({ ...e, current: 0 }))
  }

  get size(): number {
    return this.items.length
  }

  has(target: T): boolean {
    return this.items.some((i) => i.target === target)
  }

  /** every target with its weight (weight-0 ones were left out at construction) */
  entries(): { target: T; weight: number }[] {
    return this.items.map(({ target, weight }) => ({ target, weight }))
  }

  /** every target that is on (weight > 0) */
  targets(): T[] {
    return this.items.map((i) => i.target)
  }

  /** `usable` filters candidates (open circuits, already tried); falls back to all when none is usable. */
  pick(usable?: (t: T) => boolean): T | null {
    let candidates = usable ? this.items.filter((i) => usable(i.target)) : this.items
    if (candidates.length === 0) candidates = this.items
    if (candidates.length === 0) return null
    if (candidates.length === 1) return candidates[0]!.target
    let total = 0
    let best: WeightedTarget<T> | null = null
    for (const item of candidates) {
      item.current += item.weight
      total += item.weight
      if (!best || item.current > best.current) best = item
    }
    best!.current -= total
    return best!.target
  }
}
