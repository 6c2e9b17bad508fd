/** `/api/groups`: GPT-Load's group routes plus reorder, copy, stats and aggregate sub-groups. */
import { Elysia, t } from 'elysia'
import type { AdminContext } from './context'
import { ok } from './envelope'
import * as svc from './groups-service'
import {
  CopyBody, CopyResult, Envelope, GroupBrief, GroupInput, GroupStats, GroupView, IdParams, ReorderBody, SubGroupParams,
  SubGroupView, SubGroupsBody, SubGroupWeightBody,
} from './schemas'
import { authGuard } from './auth'
import { publicBaseUrl } from './public-url'
import { notFound, validationError } from '../shared/errors'

export function groupRoutes({ deps, auth, seed }: AdminContext) {
  const view = (request: Request) => (g: Parameters<typeof svc.toGroupView>[0]) =>
    svc.toGroupView(g, publicBaseUrl(deps.settings.get().app_url, request))
  const subGroupViews = async (id: number) => {
    const g = await svc.requireGroup(deps, id)
    const all = new Map((await deps.store.listGroups()).map((x) => [x.id, x.name]))
    return g.sub_groups.map((s) => ({ group_id: s.group_id, name: all.get(s.group_id) ?? '', weight: s.weight }))
  }
  const saveSubGroups = async (id: number, subs: { group_id: number; weight: number }[]) => {
    const g = await svc.requireGroup(deps, id)
    if (g.group_type !== 'aggregate') throw validationError(`group ${g.name} is not an aggregate group`)
    await svc.updateGroup(deps, id, { sub_groups: subs })
    return subGroupViews(id)
  }

  return new Elysia({ name: 'admin.groups', prefix: '/api/groups', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get('/', async ({ request }) => ok(deps.groups.all().map(view(request))), {
      response: Envelope(t.Array(GroupView)),
      detail: { summary: 'All groups, in display order' },
    })
    .post('/', async ({ body, request }) => ok(view(request)(await svc.createGroup(deps, body))), {
      body: GroupInput,
      response: Envelope(GroupView),
      detail: { summary: 'Create a group' },
    })
    .get('/list', () => ok(deps.groups.all().map((g) => ({ id: g.id, name: g.name, display_name: g.display_name }))), {
      response: Envelope(t.Array(GroupBrief)),
      detail: { summary: 'Group ids and names' },
    })
    .put(
      '/reorder',
      async ({ body }) => {
        for (const [i, r] of body.entries())
          if (!(await deps.store.getGroup(r.id))) throw validationError(`[${i}].id: group ${r.id} not found`)
        await deps.store.reorderGroups(body)
        await deps.groups.invalidate(body.map((r) => r.id))
        return ok(null)
      },
      { body: ReorderBody, detail: { summary: 'Set the display order: [{id, sort}]' } },
    )
    .put('/:id', async ({ params, body, request }) => ok(view(request)(await svc.updateGroup(deps, params.id, body))), {
      params: IdParams,
      body: GroupInput,
      response: Envelope(GroupView),
      detail: { summary: 'Update a group (only the fields given)' },
    })
    .delete(
      '/:id',
      async ({ params }) => {
        await svc.deleteGroup(deps, params.id)
        return ok(null)
      },
      { params: IdParams, detail: { summary: 'Delete a group and its keys; its request logs are kept' } },
    )
    .get('/:id/stats', async ({ params }) => ok(await svc.groupStats(deps, params.id)), {
      params: IdParams,
      response: Envelope(GroupStats),
      detail: { summary: 'Keys by state and request counts over 24 h, 7 d and 30 d' },
    })
    .post(
      '/:id/copy',
      async ({ params, body, request }) => {
        const { group, keys_copied } = await svc.copyGroup(deps, params.id, body)
        return ok({ group: view(request)(group), keys_copied })
      },
      {
        params: IdParams,
        body: CopyBody,
        response: Envelope(CopyResult),
        detail: { summary: 'Copy a group, with none, the valid or all of its keys' },
      },
    )
    .get('/:id/sub-groups', async ({ params }) => ok(await subGroupViews(params.id)), {
      params: IdParams,
      response: Envelope(t.Array(SubGroupView)),
      detail: { summary: 'Sub-groups of an aggregate group' },
    })
    .post(
      '/:id/sub-groups',
      async ({ params, body }) => {
        const g = await svc.requireGroup(deps, params.id)
        const merged = new Map(g.sub_groups.map((s) => [s.group_id, s.weight]))
        for (const s of body.sub_groups) merged.set(s.group_id, s.weight)
        return ok(await saveSubGroups(params.id, [...merged].map(([group_id, weight]) => ({ group_id, weight }))))
      },
      {
        params: IdParams,
        body: SubGroupsBody,
        response: Envelope(t.Array(SubGroupView)),
        detail: { summary: 'Add sub-groups (or change their weights)' },
      },
    )
    .put(
      '/:id/sub-groups/:subId',
      async ({ params, body }) => {
        const g = await svc.requireGroup(deps, params.id)
        if (!g.sub_groups.some((s) => s.group_id === params.subId))
          throw notFound(`group ${params.subId} is not a sub-group of ${g.name}`)
        const subs = g.sub_groups.map((s) => (s.group_id === params.subId ? { ...s, weight: body.weight } : s))
        return ok(await saveSubGroups(params.id, subs))
      },
      {
        params: SubGroupParams,
        body: SubGroupWeightBody,
        response: Envelope(t.Array(SubGroupView)),
        detail: { summary: "Change a sub-group's weight" },
      },
    )
    .delete(
      '/:id/sub-groups/:subId',
      async ({ params }) => {
        const g = await svc.requireGroup(deps, params.id)
        if (!g.sub_groups.some((s) => s.group_id === params.subId))
          throw notFound(`group ${params.subId} is not a sub-group of ${g.name}`)
        return ok(await saveSubGroups(params.id, g.sub_groups.filter((s) => s.group_id !== params.subId)))
      },
      {
        params: SubGroupParams,
        response: Envelope(t.Array(SubGroupView)),
        detail: { summary: 'Remove a sub-group' },
      },
    )
}
