/** The two sides of aggregate membership: an aggregate's sub-groups, and the aggregates a group belongs to. */
import type { AdminDeps } from './deps'
import { notFound, validationError } from '../shared/errors'
import { requireGroup, toGroupView, updateGroup } from './groups-service'
import type { SubGroupRef } from '../../db/types'
import type { ParentAggregateGroup, SubGroupView } from './schemas'

/** `baseUrl` makes each sub-group's `endpoint`, as in the group list. */
export async function subGroupViews(deps: AdminDeps, id: number, baseUrl: string): Promise<SubGroupView[]> {
  const g = await requireGroup(deps, id)
  const all = new Map((await deps.store.listGroups()).map((x) => [x.id, x]))
  const views: SubGroupView[] = []
  for (const s of g.sub_groups) {
    const sub = all.get(s.group_id)
    if (!sub) continue // deleted: deleteGroup removes it from the aggregate right after
    // The pool's counts are live (cooling changes by the second); the store's may lag one flush.
    const c = await deps.pool.stats(sub.id)
    views.push({
      group_id: sub.id,
      name: sub.name,
      weight: s.weight,
      priority: s.priority ?? 1,
      group: toGroupView(sub, baseUrl),
      total_keys: c.active + c.cooling + c.invalid + c.disabled,
      active_keys: c.active,
      invalid_keys: c.invalid,
      cooling_keys: c.cooling,
      disabled_keys: c.disabled,
    })
  }
  return views
}

export async function saveSubGroups(deps: AdminDeps, id: number, subs: SubGroupRef[], baseUrl: string) {
  const g = await requireGroup(deps, id)
  if (g.group_type !== 'aggregate') throw validationError(`group ${g.name} is not an aggregate group`)
  await updateGroup(deps, id, { sub_groups: subs })
  return subGroupViews(deps, id, baseUrl)
}

export async function setSubGroupWeight(
  deps: AdminDeps,
  id: number,
  subId: number,
  change: { weight: number; priority?: number },
  baseUrl: string,
) {
  const g = await requireGroup(deps, id)
  if (!g.sub_groups.some((s) => s.group_id === subId)) throw notFound(`group ${subId} is not a sub-group of ${g.name}`)
  const { weight, priority } = change
  const subs = g.sub_groups.map((s) => (s.group_id === subId ? { ...s, weight, priority: priority ?? s.priority } : s))
  return saveSubGroups(deps, id, subs, baseUrl)
}

export async function parentAggregates(deps: AdminDeps, id: number): Promise<ParentAggregateGroup[]> {
  await requireGroup(deps, id)
  const parents: ParentAggregateGroup[] = []
  for (const g of await deps.store.listGroups()) {
    const ref = g.group_type === 'aggregate' ? g.sub_groups.find((s) => s.group_id === id) : undefined
    if (ref) parents.push({ group_id: g.id, name: g.name, display_name: g.display_name, weight: ref.weight })
  }
  return parents
}
