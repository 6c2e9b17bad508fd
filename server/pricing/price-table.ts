/**
 * The compiled price list the request path asks: exact names in a map, globs in specificity order, and a memo of
 * every model name already resolved, so a lookup on the hot path is one map read. Rebuilt whole on change.
 */
import type { ModelPrice } from '../../db/types'
import { bySpecificity, compileGlob, modelKey, type CompiledGlob } from './glob'

/** Bounds the memo: model names come from clients, so distinct names are unbounded. */
const MEMO_LIMIT = 4096

export class PriceTable {
  private readonly exact = new Map<string, ModelPrice>()
  private readonly globs: (CompiledGlob & { price: ModelPrice })[] = []
  private readonly memo = new Map<string, ModelPrice | null>()

  /** by model name in code-unit order, so both store dialects list it alike */
  readonly rows: readonly ModelPrice[]

  constructor(rows: readonly ModelPrice[]) {
    this.rows = [...rows].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0))
    for (const price of rows) {
      const g = compileGlob(price.model)
      if (g.re === null) this.exact.set(g.pattern, price)
      else this.globs.push({ ...g, price })
    }
    this.globs.sort(bySpecificity)
  }

  /** The price of the most specific matching row, or null when none matches. */
  lookup(model: string): ModelPrice | null {
    const hit = this.memo.get(model)
    if (hit !== undefined) return hit
    const key = modelKey(model)
    let found: ModelPrice | null = key === '' ? null : (this.exact.get(key) ?? null)
    if (found === null && key !== '') for (const g of this.globs) if (g.re!.test(key)) {
      found = g.price
      break
    }
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear()
    this.memo.set(model, found)
    return found
  }
}
