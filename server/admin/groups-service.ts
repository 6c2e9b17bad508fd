/** Group writes with the checks that need the store: unique names, sub-group references, copies, stats. */
import type { Group, SubGroupRef } from '../../db/types'
import { getChannel } from '../channels'
import type { AdminDeps } from './deps'
import { conflict, notFound, validationError } from '../shared/errors'
import { reloadPoolGroup } from './context'
import { groupToCreate, validateGroupInput } from './group-validation'
import type { CacheStats, GroupInput, GroupStats, GroupView, RequestStats } from './schemas'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** `baseUrl` comes from `publicBaseUrl` (explicit app_url, else the admin request's origin). */
export function toGroupView(g: Group, baseUrl: string): GroupView {
  return { ...g, endpoint: `${baseUrl.replace(/\/+$/, '')}/proxy/${g.name}` }
}

export async function requireGroup(deps: AdminDeps, id: number): Promise<Group> {
  const g = await deps.store.getGroup(id)
  if (!g) throw notFound(`group ${id} not found`)
  return g
}

async function checkNameFree(deps: AdminDeps, name: string, selfId: number | null): Promise<void> {
  const other = await deps.store.getGroupByName(name)
  if (other && other.id !== selfId) throw conflict(`a group named ${name} already exists`)
}

/** Sub-groups must exist, be standard groups of the aggregate's channel type, and appear once. */
export async function checkSubGroups(deps: AdminDeps, subs: SubGroupRef[], channelType: string, selfId: number | null) {
  const seen = new Set<number>()
  for (const [i, s] of subs.entries()) {
    if (s.group_id === selfId) throw validationError(`sub_groups[${i}]: a group cannot contain itself`)
    if (seen.has(s.group_id)) throw validationError(`sub_groups[${i}]: group ${s.group_id} is listed twice`)
    seen.add(s.group_id)
    const g = await deps.store.getGroup(s.group_id)
    if (!g) throw validationError(`sub_groups[${i}].group_id: group ${s.group_id} not found`)
    if (g.group_type !== 'standard') throw validationError(`sub_groups[${i}]: ${g.name} is not a standard group`)
    if (g.channel_type !== channelType)
      throw validationError(`sub_groups[${i}]: ${g.name} is ${g.channel_type}, the aggregate is ${channelType}`)
  }
}

export async function createGroup(deps: AdminDeps, input: GroupInput): Promise<Group> {
  const v = validateGroupInput(input, null)
  const channel = getChannel(v.channel_type!)
  const groupType = v.group_type ?? 'standard'
  await checkNameFree(deps, v.name!, null)
  if (groupType === 'aggregate') await checkSubGroups(deps, v.sub_groups ?? [], channel.type, null)
  const maxSort = (await deps.store.listGroups()).reduce((m, g) => Math.max(m, g.sort), 0)
  const g = groupToCreate(v, maxSort + 1)
  const created = await deps.store.createGroup(g)
  await deps.groups.invalidate([created.id])
  return created
}

export async function updateGroup(deps: AdminDeps, id: number, input: GroupInput): Promise<Group> {
  const current = await requireGroup(deps, id)
  const v = validateGroupInput(input, current)
  if (v.name !== undefined) await checkNameFree(deps, v.name, id)
  const groupType = v.group_type ?? current.group_type
  if (groupType === 'aggregate')
    await checkSubGroups(deps, v.sub_groups ?? current.sub_groups, v.channel_type ?? current.channel_type, id)
  if (v.channel_type && v.channel_type !== current.channel_type && current.group_type === 'standard') {
    const parents = (await deps.store.listGroups()).filter((g) => g.sub_groups.some((s) => s.group_id === id))
    if (parents.length > 0)
      throw validationError(`channel_type cannot change: the group is in aggregate group ${parents[0]!.name}`)
  }
  const updated = await deps.store.updateGroup(id, v)
  if (!updated) throw notFound(`group ${id} not found`)
  await deps.groups.invalidate([id])
  return updated
}

/** Deletes the group and its keys; request logs keep the group's name. Aggregates drop it from their sub-groups. */
export async function deleteGroup(deps: AdminDeps, id: number): Promise<void> {
  await requireGroup(deps, id)
  const touched = [id]
  for (const g of await deps.store.listGroups()) {
    if (!g.sub_groups.some((s) => s.group_id === id)) continue
    await deps.store.updateGroup(g.id, { sub_groups: g.sub_groups.filter((s) => s.group_id !== id) })
    touched.push(g.id)
  }
  await deps.store.deleteGroup(id)
  await deps.pool.dropGroup(id)
  await deps.groups.invalidate(touched)
}

async function freeCopyName(deps: AdminDeps, base: string): Promise<string> {
  for (let i = 0; ; i++) {
    const name = (i === 0 ? `${base}_copy` : `${base}_copy${i + 1}`).slice(0, 100)
    if (!(await deps.store.getGroupByName(name))) return name
  }
}

export async function copyGroup(
  deps: AdminDeps,
  id: number,
  opts: { new_group_name?: string; copy_keys?: 'none' | 'valid_only' | 'all' },
): Promise<{ group: Group; keys_copied: number }> {
  const src = await requireGroup(deps, id)
  const name = opts.new_group_name?.trim() || (await freeCopyName(deps, src.name))
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = src
  const copy = await createGroup(deps, { ...rest, name, display_name: `${src.display_name} (copy)`.slice(0, 100) })
  let copied = 0
  const mode = opts.copy_keys ?? 'all'
  if (mode !== 'none' && src.group_type === 'standard') {
    const keys = (await deps.store.groupKeys(id)).filter(
      (k) => mode === 'all' || k.status === 'active' || k.status === 'cooling',
    )
    copied = (await deps.store.addKeys(copy.id, keys.map((k) => k.key_value))).added_count
    await reloadPoolGroup(deps, copy.id)
  }
  return { group: copy, keys_copied: copied }
}

function requestStats(rows: { success_count: number; failure_count: number }[]): RequestStats {
  let ok = 0
  let failed = 0
  for (const r of rows) {
    ok += r.success_count
    failed += r.failure_count
  }
  const total = ok + failed
  return { total_requests: total, failed_requests: failed, failure_rate: total === 0 ? 0 : failed / total }
}

function cacheStats(rows: { success_count: number; failure_count: number; cache_hits?: number }[]): CacheStats {
  let hits = 0
  let total = 0
  for (const r of rows) {
    hits += r.cache_hits ?? 0
    total += r.success_count + r.failure_count
  }
  return { cache_hits: hits, hit_rate: total === 0 ? 0 : hits / total }
}

export async function groupStats(deps: AdminDeps, id: number): Promise<GroupStats> {
  await requireGroup(deps, id)
  const now = deps.clock.now()
  const counts = await deps.store.countKeysByStatus(id)
  const month = await deps.store.hourlyStats(now - 30 * DAY, now, id)
  const since = (ms: number) => month.filter((r) => r.hour >= now - ms)
  return {
    key_stats: {
      total_keys: counts.active + counts.cooling + counts.invalid + counts.disabled,
      active_keys: counts.active,
      cooling_keys: counts.cooling,
      invalid_keys: counts.invalid,
      disabled_keys: counts.disabled,
    },
    stats_24_hour: requestStats(since(DAY)),
    stats_7_day: requestStats(since(7 * DAY)),
    stats_30_day: requestStats(month),
    cache_24_hour: cacheStats(since(DAY)),
    cache_7_day: cacheStats(since(7 * DAY)),
    cache_30_day: cacheStats(month),
  }
}
