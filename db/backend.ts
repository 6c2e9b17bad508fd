import type { Store } from './types'

/** What the two backends give openStore beyond the shared Store contract. */
export interface BackendStore extends Store {
  /** Sets `key` only when it has no value yet; returns the value now stored (atomic across processes). */
  initMeta(key: string, value: string): Promise<string>
}
