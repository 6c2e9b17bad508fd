/** Key operations behind /api/keys: selection by values or ids, chunked imports and deletes, validation. */
import type { ApiKey, Group } from '../../db/types'
import type { PacedState } from '../pool/types'
import type { AdminDeps } from './deps'
import type { TaskProgress } from '../jobs/tasks'
import { validateKey } from '../jobs/key-validator'
import { mapLimit } from '../shared/map-limit'
import { maskKey } from '../shared/mask'
import { notFound, validationError } from '../shared/errors'
import { reloadPoolGroup } from './context'
import { requireGroup } from './groups-service'
import { parseKeyList } from '../shared/key-list'
import { hashKey } from './key-text'
import { unmaskKeys } from './masked-keys'
import type { AddKeysResult, KeyTestResult, KeyView } from './schemas'

/** Above this many keys a request must use the async task routes. */
export const SYNC_KEY_LIMIT = 5000
export const TEST_KEY_LIMIT = 500
// Rows per store call in background tasks; between chunks the event loop serves proxy traffic.
const CHUNK = 1000

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export function toKeyView(k: ApiKey, paced?: PacedState): KeyView {
  const { key_hash: _h, key_value, status, ...rest } = k
  const view: KeyView = {
    ...rest,
    key_value: maskKey(key_value),
    status: status === 'invalid' ? 'invalid' : 'active',
    state: status,
    paced_until: null,
  }
  if (paced && status === 'active') {
    view.state = 'paced'
    view.paced_until = paced.kind === 'rpm' ? paced.until : null
  }
  return view
}

/** Rows as the admin sees them, with the pool's live pacing (it is never stored: it changes by the second). */
export async function keyViews(deps: AdminDeps, rows: ApiKey[]): Promise<KeyView[]> {
  const byGroup = new Map<number, number[]>()
  for (const k of rows) if (k.status === 'active') byGroup.set(k.group_id, [...(byGroup.get(k.group_id) ?? []), k.id])
  const paced = new Map<number, PacedState>()
  for (const [groupId, ids] of byGroup) for (const [id, p] of await deps.pool.paced(groupId, ids)) paced.set(id, p)
  return rows.map((k) => toKeyView(k, paced.get(k.id)))
}

/** A standard group (aggregate groups hold no keys of their own). */
export async function requireKeyGroup(deps: AdminDeps, groupId: number): Promise<Group> {
  const g = await requireGroup(deps, groupId)
  if (g.group_type === 'aggregate')
    throw validationError(`group_id: ${g.name} is an aggregate group; its keys live in its sub-groups`)
  return g
}

export function keysFromText(text: string, limit: number | null): string[] {
  const keys = parseKeyList(text, 'keys_text')
  if (keys.length === 0) throw validationError('keys_text holds no keys')
  if (limit !== null && keys.length > limit)
    throw validationError(`keys_text holds ${keys.length} keys; more than ${limit} need the async route`)
  return keys
}

/**
 * The group's keys named by `keys_text` values (full or masked) or by `key_ids`; `ignored` counts names that matched
 * nothing. Naming no key of the group at all is a 404: an answer of "Success" would say something was done.
 */
export async function selectKeys(
  deps: AdminDeps,
  groupId: number,
  sel: { keys_text?: string; key_ids?: number[] },
  limit: number | null,
): Promise<{ keys: ApiKey[]; ignored: number }> {
  if (sel.keys_text === undefined && sel.key_ids === undefined) throw validationError('keys_text or key_ids is required')
  const all = await deps.store.groupKeys(groupId)
  if (sel.key_ids !== undefined) {
    if (limit !== null && sel.key_ids.length > limit) throw validationError(`key_ids: more than ${limit} need the async route`)
    const wanted = new Set(sel.key_ids)
    const keys = all.filter((k) => wanted.has(k.id))
    if (keys.length === 0) throw notFound('key_ids: none of the ids is a key of this group')
    return { keys, ignored: wanted.size - keys.length }
  }
  const byHash = new Map(all.map((k) => [k.key_hash, k]))
  const found = new Map<number, ApiKey>()
  let ignored = 0
  for (const v of unmaskKeys(keysFromText(sel.keys_text!, limit), all)) {
    const k = byHash.get(hashKey(deps.store, v))
    if (k) found.set(k.id, k)
    else ignored++
  }
  if (found.size === 0) throw notFound('keys_text: none of the keys is in this group')
  return { keys: [...found.values()], ignored }
}

export async function importKeys(deps: AdminDeps, groupId: number, keys: string[], p?: TaskProgress): Promise<AddKeysResult> {
  const total: AddKeysResult = { added_count: 0, ignored_count: 0, total_in_group: 0 }
  for (let i = 0; i < keys.length; i += CHUNK) {
    const r = await deps.store.addKeys(groupId, keys.slice(i, i + CHUNK))
    total.added_count += r.added_count
    total.ignored_count += r.ignored_count
    total.total_in_group = r.total_in_group
    p?.advance(Math.min(CHUNK, keys.length - i))
    if (p) await yieldToEventLoop()
  }
  await reloadPoolGroup(deps, groupId)
  return total
}

export async function deleteKeyIds(deps: AdminDeps, groupId: number, ids: number[], p?: TaskProgress): Promise<number> {
  let deleted = 0
  for (let i = 0; i < ids.length; i += CHUNK) {
    deleted += await deps.store.deleteKeys(groupId, ids.slice(i, i + CHUNK))
    p?.advance(Math.min(CHUNK, ids.length - i))
    if (p) await yieldToEventLoop()
  }
  await reloadPoolGroup(deps, groupId)
  return deleted
}

export async function totalInGroup(deps: AdminDeps, groupId: number): Promise<number> {
  const c = await deps.store.countKeysByStatus(groupId)
  return c.active + c.cooling + c.invalid + c.disabled
}

/** Set keys to a status in the store and in the pool. */
export async function setKeysStatus(deps: AdminDeps, groupId: number, ids: number[], status: ApiKey['status']) {
  if (ids.length === 0) return 0
  const n = await deps.store.setKeyStatus(ids, status)
  await deps.pool.setStatus(groupId, ids, status)
  deps.groups.keysChanged(groupId)
  return n
}

export async function requireKey(deps: AdminDeps, id: number): Promise<ApiKey> {
  const k = await deps.store.getKey(id)
  if (!k) throw notFound(`key ${id} not found`)
  return k
}

export interface ValidationSummary {
  total: number
  valid: number
  invalid: number
  /** failed for a reason that is not the key's (upstream down, rate limited): status left as it was */
  unchanged: number
  /** GPT-Load's names for the same counts (its web admin reads these) */
  total_keys: number
  valid_keys: number
  invalid_keys: number
}

/** Validate keys of a group: passing keys become active, keys the upstream calls bad become invalid. */
export async function validateGroupKeys(deps: AdminDeps, group: Group, keys: ApiKey[], p?: TaskProgress): Promise<ValidationSummary> {
  const concurrency = deps.settings.forGroup(group.config).key_validation_concurrency
  const summary = { total: keys.length, valid: 0, invalid: 0, unchanged: 0 }
  const restore: number[] = []
  const blacklist: number[] = []
  await mapLimit(keys, concurrency, async (k) => {
    const r = await validateKey(group, k.key_value, deps)
    if (r.ok) {
      summary.valid++
      if (k.status !== 'active') restore.push(k.id)
    } else if (r.keyInvalid) {
      summary.invalid++
      if (k.status !== 'invalid') blacklist.push(k.id)
    } else summary.unchanged++
    p?.advance(1)
  })
  await setKeysStatus(deps, group.id, restore, 'active')
  await setKeysStatus(deps, group.id, blacklist, 'invalid')
  return { ...summary, total_keys: summary.total, valid_keys: summary.valid, invalid_keys: summary.invalid }
}

/**
 * Tests keys now and applies what was learned to the group's copies of them, as validation does: a passing key is
 * active again, a key the provider calls dead is invalid; disabled keys and inconclusive answers are left alone.
 */
export async function testKeys(deps: AdminDeps, group: Group, keys: string[]): Promise<KeyTestResult[]> {
  const concurrency = deps.settings.forGroup(group.config).key_validation_concurrency
  const restore: number[] = []
  const blacklist: number[] = []
  const results = await mapLimit(keys, concurrency, async (key) => {
    const r = await validateKey(group, key, deps)
    const stored = (await deps.store.listKeys({ group_id: group.id, key_hash: hashKey(deps.store, key), page: 1, page_size: 1 })).items[0]
    if (stored && stored.status !== 'disabled') {
      if (r.ok && stored.status !== 'active') restore.push(stored.id)
      else if (!r.ok && r.keyInvalid && stored.status !== 'invalid') blacklist.push(stored.id)
    }
    return { key_value: maskKey(key), is_valid: r.ok, status: r.status, error: r.error ?? '' }
  })
  await setKeysStatus(deps, group.id, restore, 'active')
  await setKeysStatus(deps, group.id, blacklist, 'invalid')
  return results
}
