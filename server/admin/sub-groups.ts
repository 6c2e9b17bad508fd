/** The two sides of aggregate membership: an aggregate's sub-groups, and the aggregates a group belongs to. */
import type { AppDeps } from '../deps'
import { notFound, validationError } from '../shared/errors'
import { requireGroup, updateGroup } from './groups-service'
import type { ParentAggregateGroup, SubGroupView } from './schemas'

export async function subGroupViews(deps: AppDeps, id: number): Promise<SubGroupView[]> {
  const g = await requireGroup(deps, id)
  const names = new Map((await deps.store.listGroups()).map((x) => [x.id, x.name]))
  return g.sub_groups.map((s) => ({ group_id: s.group_id, name: names.get(s.group_id) ?? '', weight: s.weight }))
}

export async function saveSubGroups(deps: AppDeps, id: number, subs: { group_id: number; weight: number }[]) {
  const g = await requireGroup(deps, id)
  if (g.group_type !== 'aggregate') throw validationError(`group ${g.name} is not an aggregate group`)
  await updateGroup(deps, id, { sub_groups: subs })
  return subGroupViews(deps, id)
}

export async function setSubGroupWeight(deps: AppDeps, id: number, subId: number, weight: number) {
  const g = await requireGroup(deps, id)
  if (!g.sub_groups.some((s) => s.group_id === subId)) throw notFound(`group ${subId} is not a sub-group of ${g.name}`)
  return saveSubGroups(deps, id, g.sub_groups.map((s) => (s.group_id === subId ? { ...s, weight } : s)))
}

export async function parentAggregates(deps: AppDeps, id: number): Promise<ParentAggregateGroup[]> {
  await requireGroup(deps, id)
  const parents: ParentAggregateGroup[] = []
  for (const g of await deps.store.listGroups()) {
    const ref = g.group_type === 'aggregate' ? g.sub_groups.find((s) => s.group_id === id) : undefined
    if (ref) parents.push({ group_id: g.id, name: g.name, display_name: g.display_name, weight: ref.weight })
  }
  return parents
}
