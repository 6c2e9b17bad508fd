/** What every admin route plugin is built from. */
import type { AdminDeps } from './deps'
import type { AdminAuth } from './auth'

export interface AdminContext {
  deps: AdminDeps
  auth: AdminAuth
  /** makes plugin names unique per app, so several apps in one process (tests) do not dedupe each other's plugins */
  seed: number
}

/** Reload the pool's view of a group after its keys changed in the store; other nodes hear of it through the bus. */
export async function reloadPoolGroup(deps: AdminDeps, groupId: number): Promise<void> {
  await deps.pool.loadGroup(groupId, await deps.store.groupKeys(groupId))
  deps.groups.keysChanged(groupId)
}
