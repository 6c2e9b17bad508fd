/**
 * The model price list: kept in the store, compiled in memory (PriceTable) for the request path, reloaded when an
 * admin changes it here or, through the config bus (server/cluster/config-sync.ts), on another node.
 */
import type { ModelPrice, NewModelPrice, Store } from '../../db/types'
import type { ChangeOrigin } from '../config/group-cache'
import { DEFAULT_PRICES, DEFAULT_PRICES_DATE } from './defaults'
import type { PriceLookup } from './cost'
import { PriceTable } from './price-table'

/** meta key set once the shipped list was seeded; its value is the list's date */
export const PRICES_SEEDED_META = 'model_prices_seeded'

type PricesStore = Pick<Store, 'listModelPrices' | 'replaceModelPrices' | 'seedModelPrices'>
type Listener = (origin: ChangeOrigin) => void | Promise<unknown>

export class PriceBook implements PriceLookup {
  private table = new PriceTable([])
  private listeners: Listener[] = []

  constructor(private readonly store: PricesStore) {}

  /** First start: the shipped list goes into the store (never again, so an operator's edits stay). */
  seedDefaults(): Promise<boolean> {
    return this.store.seedModelPrices(DEFAULT_PRICES, PRICES_SEEDED_META, DEFAULT_PRICES_DATE)
  }

  /** Reads the list from the store (at start, and when another node changed it). */
  async load(): Promise<void> {
    this.table = new PriceTable(await this.store.listModelPrices())
  }

  list(): readonly ModelPrice[] {
    return this.table.rows
  }

  /** The row that prices `model`: the most specific matching glob. */
  lookup(model: string): ModelPrice | null {
    return this.table.lookup(model)
  }

  async replace(rows: NewModelPrice[]): Promise<readonly ModelPrice[]> {
    this.table = new PriceTable(await this.store.replaceModelPrices(rows))
    await Promise.all(this.listeners.map((l) => l('local')))
    return this.table.rows
  }

  resetToDefaults(): Promise<readonly ModelPrice[]> {
    return this.replace(DEFAULT_PRICES)
  }

  onChange(listener: Listener): () => void {
    this.listeners.push(listener)
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }
}
