/** What the background jobs and the key validator are built from (the entry's `AppDeps` has all of it). */
import type { OpenedStore } from '../../db/open'
import type { GroupCache } from '../config/group-cache'
import type { SettingsService } from '../config/settings'
import type { KeyPool } from '../pool/types'
import type { Clock } from '../shared/clock'

export interface JobDeps {
  store: OpenedStore
  settings: SettingsService
  groups: GroupCache
  pool: KeyPool
  clock: Clock
  /** upstream fetch; tests may observe it */
  fetch: typeof fetch
}
