/** `/api/groups`: GPT-Load's group routes plus reorder, copy, stats, config options and aggregate sub-groups. */
import { Elysia, t } from 'elysia'
import type { AdminContext } from './context'
import { ok } from './envelope'
import * as svc from './groups-service'
import {
  CopyBody, CopyResult, Envelope, GroupBrief, GroupConfigOption, GroupInput, GroupStats, GroupView, IdParams,
  ParentAggregateGroup, ReorderBody, SubGroupParams, SubGroupView, SubGroupsBody, SubGroupWeightBody,
} from './schemas'
import { groupConfigOptions } from './settings'
import { parentAggregates, saveSubGroups, setSubGroupWeight, subGroupViews } from './sub-groups'
import { authGuard } from './auth'
import { publicBaseUrl } from './public-url'
import { notFound, validationError } from '../shared/errors'


export function groupRoutes({ deps, auth, seed }: AdminContext) {
  const baseUrl = (request: Request) => publicBaseUrl(deps.settings.get().app_url, request)
  const view = (request: Request) => (g: Parameters<typeof svc.toGroupView>[0]) => svc.toGroupView(g, baseUrl(request))
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
    .get('/config-options', () => ok(groupConfigOptions(deps.settings)), {
      response: Envelope(t.Array(GroupConfigOption)),
      detail: { summary: "Settings a group's config may override: name, description, inherited value" },
    })
    .get('/list', () => ok(deps.groups.all().map((g) => ({ id: g.id, name: g.name, display_name: g.display_name }))), {
      response: Envelope(t.Array(GroupBrief)),
      detail: { summary: 'Group ids and names' },
    })
    .put(
      '/reorder',
      async ({ body }) => {
        const order = Array.isArray(body) ? body : body.items
        for (const [i, r] of order.entries())
          if (!(await deps.store.getGroup(r.id))) throw validationError(`[${i}].id: group ${r.id} not found`)
        await deps.store.reorderGroups(order)
        await deps.groups.invalidate(order.map((r) => r.id))
        return ok(null)
      },
      { body: ReorderBody, detail: { summary: 'Set the display order: [{id, sort}] (or {items: [{id, sort}]})' } },
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
    .get('/:id/sub-groups', async ({ params, request }) => ok(await subGroupViews(deps, params.id, baseUrl(request))), {
      params: IdParams,
      response: Envelope(t.Array(SubGroupView)),
      detail: { summary: 'Sub-groups of an aggregate group' },
    })
    .post(
      '/:id/sub-groups',
      async ({ params, body, request }) => {
        const g = await svc.requireGroup(deps, params.id)
        const merged = new Map(g.sub_groups.map((s) => [s.group_id, s]))
        for (const s of body.sub_groups) merged.set(s.group_id, { ...s, priority: s.priority ?? merged.get(s.group_id)?.priority })
        return ok(await saveSubGroups(deps, params.id, [...merged.values()], baseUrl(request)))
      },
      {
        params: IdParams,
        body: SubGroupsBody,
        response: Envelope(t.Array(SubGroupView)),
        detail: { summary: 'Add sub-groups (or change their weights)' },
      },
    )
    .put('/:id/sub-groups/:subId', async ({ params, body, request }) =>
      ok(await setSubGroupWeight(deps, params.id, params.subId, body, baseUrl(request))), {
      params: SubGroupParams,
      body: SubGroupWeightBody,
      response: Envelope(t.Array(SubGroupView)),
      detail: { summary: "Change a sub-group's weight (and its priority tier)" },
    })
    // GPT-Load's web admin calls the same change here.
    .put('/:id/sub-groups/:subId/weight', async ({ params, body, request }) =>
      ok(await setSubGroupWeight(deps, params.id, params.subId, body, baseUrl(request))), {
      params: SubGroupParams,
      body: SubGroupWeightBody,
      response: Envelope(t.Array(SubGroupView)),
      detail: { summary: "Change a sub-group's weight (GPT-Load's path)" },
    })
    .delete(
      '/:id/sub-groups/:subId',
      async ({ params, request }) => {
        const g = await svc.requireGroup(deps, params.id)
        if (!g.sub_groups.some((s) => s.group_id === params.subId))
          throw notFound(`group ${params.subId} is not a sub-group of ${g.name}`)
        return ok(await saveSubGroups(deps, params.id, g.sub_groups.filter((s) => s.group_id !== params.subId), baseUrl(request)))
      },
      {
        params: SubGroupParams,
        response: Envelope(t.Array(SubGroupView)),
        detail: { summary: 'Remove a sub-group' },
      },
    )
    .get('/:id/parent-aggregate-groups', async ({ params }) => ok(await parentAggregates(deps, params.id)), {
      params: IdParams,
      response: Envelope(t.Array(ParentAggregateGroup)),
      detail: { summary: 'Aggregate groups that list this group as a sub-group, with its weight in each' },
    })
}
