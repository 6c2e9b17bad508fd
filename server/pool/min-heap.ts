/** A binary min-heap ordered by a numeric priority: push/pop O(log n), peek O(1). */
export class MinHeap<T> {
  private readonly items: { at: number; value: T }[] = []

  get size(): number {
    return this.items.length
  }

  push(at: number, value: T): void {
    const items = this.items
    items.push({ at, value })
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (items[parent]!.at <= items[i]!.at) break
      this.swap(i, parent)
      i = parent
    }
  }

  /** priority of the smallest item, or undefined when empty */
  peekAt(): number | undefined {
    return this.items[0]?.at
  }

  pop(): { at: number; value: T } | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    items[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let min = i
      if (l < items.length && items[l]!.at < items[min]!.at) min = l
      if (r < items.length && items[r]!.at < items[min]!.at) min = r
      if (min === i) break
      this.swap(i, min)
      i = min
    }
    return top
  }

  clear(): void {
    this.items.length = 0
  }

  private swap(a: number, b: number): void {
    const t = this.items[a]!
    this.items[a] = this.items[b]!
    this.items[b] = t
  }
}
