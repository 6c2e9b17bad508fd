/**
 * Groups phase: every GPT-Load group whose name keypool does not have yet is created (standard groups first, so
 * aggregates can point at their sub-groups); a name keypool already has is left as it is and only mapped.
 */
import type { Group, SubGroupRef } from '../../db/types'
import type { GroupInput } from '../admin/schemas'
// GPT-Load 1.x has no model routing: an imported group has no models and stays reachable as /proxy/{name} only
import { groupToCreate, validateGroupInput } from '../admin/group-validation'
import { ApiError } from '../shared/errors'
import { type ImportContext, pages, presentColumns } from './import-gpt-load-context'
import { groupInput, int, text } from './import-gpt-load-map'

const GROUP_COLUMNS = [
  'id', 'name', 'display_name', 'description', 'group_type', 'channel_type', 'upstreams', 'test_model',
  'validation_endpoint', 'param_overrides', 'model_redirect_rules', 'model_redirect_strict', 'header_rules',
  'config', 'proxy_keys', 'sort',
]

export async function importGroups(ctx: ImportContext): Promise<void> {
  const cols = await presentColumns(ctx, 'groups', GROUP_COLUMNS)
  const rows: Record<string, unknown>[] = []
  for await (const page of pages(ctx, 'groups', cols, ['id'])) rows.push(...page)
  const subs = await subGroupRows(ctx)
  ctx.progress.start('groups', rows.length)
  const isAggregate = (r: Record<string, unknown>) => text(r.group_type).trim() === 'aggregate'
  // Standard groups first: an aggregate's sub-groups must exist before it.
  for (const row of [...rows.filter((r) => !isAggregate(r)), ...rows.filter(isAggregate)]) {
    await importGroup(ctx, row, subs.get(int(row.id)) ?? [])
    ctx.progress.advance()
  }
  ctx.progress.finish()
}

async function subGroupRows(ctx: ImportContext): Promise<Map<number, { sub: number; weight: number }[]>> {
  const out = new Map<number, { sub: number; weight: number }[]>()
  const cols = await presentColumns(ctx, 'group_sub_groups', ['id', 'group_id', 'sub_group_id', 'weight', 'deleted_at'])
  if (!cols.includes('group_id')) return out
  for await (const page of pages(ctx, 'group_sub_groups', cols, ['id'])) {
    for (const r of page) {
      if (r.deleted_at !== null && r.deleted_at !== undefined) continue // soft-deleted in some GPT-Load versions
      const list = out.get(int(r.group_id)) ?? []
      list.push({ sub: int(r.sub_group_id), weight: int(r.weight) })
      out.set(int(r.group_id), list)
    }
  }
  return out
}

async function importGroup(ctx: ImportContext, row: Record<string, unknown>, subs: { sub: number; weight: number }[]): Promise<void> {
  const { input, dropped } = groupInput(row)
  const name = input.name ?? ''
  const existing = name === '' ? null : await ctx.store.getGroupByName(name)
  if (existing) {
    ctx.groupIds.set(int(row.id), existing.id)
    ctx.summary.groups.skipped++
    return
  }
  try {
    if (input.group_type === 'aggregate') input.sub_groups = await subGroupRefs(ctx, name, input, subs)
    const created = await ctx.store.createGroup(groupToCreate(validateGroupInput(input, null), 0))
    ctx.groupIds.set(int(row.id), created.id)
    ctx.summary.groups.imported++
    if (dropped.length > 0) ctx.notes.push(`group ${name}: config ${dropped.join(', ')} not known to keypool, left out`)
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    ctx.summary.groups.failed++
    ctx.notes.push(`group ${name || `#${int(row.id)}`} not imported: ${err.message}`)
  }
}

/** Sub-groups that made it into keypool as standard groups of the aggregate's channel; the rest are reported. */
async function subGroupRefs(ctx: ImportContext, name: string, input: GroupInput, subs: { sub: number; weight: number }[]): Promise<SubGroupRef[]> {
  const refs: SubGroupRef[] = []
  for (const s of subs) {
    const id = ctx.groupIds.get(s.sub)
    const g: Group | null = id === undefined ? null : await ctx.store.getGroup(id)
    if (!g || g.group_type !== 'standard' || g.channel_type !== input.channel_type) {
      ctx.notes.push(`group ${name}: sub-group #${s.sub} left out (${g ? `${g.name} is not a standard ${input.channel_type} group` : 'not imported'})`)
      continue
    }
    refs.push({ group_id: g.id, weight: s.weight })
  }
  return refs
}

