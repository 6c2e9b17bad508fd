/**
 * `keypool keys import|export`: work on the configured database directly (the server need not run; a running
 * node serves imported keys after SIGHUP or a restart).
 */
import type { AddKeysResult, Group, Store } from '../../db/types'
import type { ExportStatus } from './args'
import { parseSendableKeyList } from '../shared/key-list'

export class GroupNotFoundError extends Error {
  constructor(readonly groupName: string) {
    super(`group "${groupName}" not found`)
  }
}

async function groupByName(store: Store, name: string): Promise<Group> {
  const group = await store.getGroupByName(name)
  if (group === null) throw new GroupNotFoundError(name)
  return group
}

/**
 * Adds the keys listed in `text` (read like the admin API's keys_text) to the group; keys already in the group
 * are counted as ignored. `source` names the input in errors (the file, or stdin). Nothing is added when any
 * key is refused.
 */
export async function importKeys(store: Store, groupName: string, text: string, source = 'key list'): Promise<AddKeysResult> {
  const keys = parseSendableKeyList(text, source)
  const group = await groupByName(store, groupName)
  return store.addKeys(group.id, keys)
}

/** The group's plain key values with the given status, oldest first. */
export async function exportKeys(store: Store, groupName: string, status: ExportStatus): Promise<string[]> {
  const group = await groupByName(store, groupName)
  const keys = await store.groupKeys(group.id)
  return keys
    .filter((k) => status === 'all' || k.status === status)
    .sort((a, b) => a.id - b.id)
    .map((k) => k.key_value)
}
