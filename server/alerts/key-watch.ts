/**
 * `key_invalidated` without touching the pools: every key state change of both pools is written through one
 * persist function, so the entry wraps it and raises the event for each key whose new status is `invalid`
 * (the key value is read back from the store only to be masked). A group whose last usable key just died raises
 * `group_exhausted` at once, before a client meets the 503.
 */
import type { KeyStateUpdate, Store } from '../../db/types'
import { log } from '../shared/logger'
import { maskKey } from '../shared/mask'
import { groupExhausted, keyInvalidated } from './events'
import type { AlertSink } from './types'

export function watchInvalidations(
  persist: (updates: KeyStateUpdate[]) => Promise<void>,
  deps: {
    store: Pick<Store, 'getKey'>
    groupName: (groupId: number) => string | undefined
    /** active + cooling keys of a group (the pool's view) */
    usableKeys: (groupId: number) => Promise<number>
    alerts: AlertSink
  },
): (updates: KeyStateUpdate[]) => Promise<void> {
  return async (updates) => {
    await persist(updates)
    const ids = updates.filter((u) => u.status === 'invalid').map((u) => u.id)
    if (ids.length > 0 && deps.alerts.enabled?.() !== false) void raise(ids, deps)
  }
}

async function raise(ids: number[], deps: Parameters<typeof watchInvalidations>[1]): Promise<void> {
  const groups = new Map<number, string>()
  for (const id of new Set(ids)) {
    try {
      const key = await deps.store.getKey(id)
      if (!key) continue
      const group = deps.groupName(key.group_id) ?? `#${key.group_id}`
      groups.set(key.group_id, group)
      deps.alerts.emit(keyInvalidated({ key_id: key.id, key_masked: maskKey(key.key_value), group }))
    } catch (err) {
      log.warn('key_invalidated alert skipped', { key_id: id, error: String(err) })
    }
  }
  for (const [groupId, name] of groups) {
    const usable = await deps.usableKeys(groupId).catch(() => 1)
    if (usable === 0) deps.alerts.emit(groupExhausted(name))
  }
}
