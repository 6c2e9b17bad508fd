/**
 * `keypool keys import|export`: work on the configured database directly (the server need not run; a running
 * node serves imported keys after SIGHUP or a restart).
 */
import type { AddKeysResult, Group, Store } from '../../db/types'
import type { ExportStatus } from './args'
import { splitKeysText } from './keys-text'

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

/** Adds the keys listed in `text` to the group; keys already in the group are counted as ignored. */
export async function importKeys(store: Store, groupName: string, text: string): Promise<AddKeysResult> {
  const group = await groupByName(store, groupName)
  return store.addKeys(group.id, splitKeysText(text))
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
