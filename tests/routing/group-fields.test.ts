/** The group fields of model routing through the admin API: defaults, validation, sub-group tiers, the store. */
import { describe, expect, test } from 'bun:test'
import type { GroupView, SubGroupView } from '../../server/admin/schemas'
import { createTestApp, data, expectError, json, makeGroup } from '../admin/support'

const base = { channel_type: 'openai', upstreams: [{ url: 'https://api.example.test', weight: 1 }] }

describe('group routing fields', () => {
  test('models, priority and weight default, round-trip and reach the proxy cache', async () => {
    await using app = await createTestApp()
    const plain = await data<GroupView>(app.api('/api/groups', json('POST', { ...base, name: 'plain' })))
    expect({ models: plain.models, priority: plain.priority, weight: plain.weight }).toEqual({ models: [], priority: 1, weight: 1 })
    const g = await data<GroupView>(
      app.api('/api/groups', json('POST', { ...base, name: 'paid', models: [' gpt-4o* ', 'o3', 'o3'], priority: 2, weight: 5 })),
    )
    expect({ models: g.models, priority: g.priority, weight: g.weight }).toEqual({ models: ['gpt-4o*', 'o3'], priority: 2, weight: 5 })
    const u = await data<GroupView>(app.api(`/api/groups/${g.id}`, json('PUT', { models: ['claude-*'], priority: 3 })))
    expect({ models: u.models, priority: u.priority, weight: u.weight }).toEqual({ models: ['claude-*'], priority: 3, weight: 5 })
    expect(app.deps.groups.byName('paid')).toMatchObject({ models: ['claude-*'], priority: 3, weight: 5 })
    const stored = await app.deps.store.getGroup(g.id)
    expect(stored).toMatchObject({ models: ['claude-*'], priority: 3, weight: 5 })
  })

  test('bad values are refused with a message naming the field', async () => {
    await using app = await createTestApp()
    const cases: [Record<string, unknown>, string][] = [
      [{ models: 'gpt-4o' }, 'models must be an array'],
      [{ models: ['gpt 4o'] }, 'models[0] must be a model name or glob'],
      [{ models: ['ok', 7] }, 'models[1] must be a model name or glob'],
      [{ priority: 0 }, 'priority must be an integer from 1 to 100'],
      [{ priority: 1.5 }, 'priority must be an integer from 1 to 100'],
      [{ priority: '1' }, 'priority must be an integer from 1 to 100'],
      [{ weight: -1 }, 'weight must be an integer from 0 to 1000'],
    ]
    for (const [fields, message] of cases)
      await expectError(app.api('/api/groups', json('POST', { ...base, name: 'x', ...fields })), 400, 'VALIDATION_ERROR', message)
  })

  test('sub-groups carry a priority tier: default 1, set on add and on the weight route, validated', async () => {
    await using app = await createTestApp()
    const free = await makeGroup(app, { name: 'free' })
    const paid = await makeGroup(app, { name: 'paid' })
    const agg = await data<GroupView>(
      app.api('/api/groups', json('POST', { name: 'agg', group_type: 'aggregate', channel_type: 'openai', sub_groups: [{ group_id: free.id, weight: 1 }] })),
    )
    expect(agg.sub_groups).toEqual([{ group_id: free.id, weight: 1, priority: 1 }])
    let subs = await data<SubGroupView[]>(app.api(`/api/groups/${agg.id}/sub-groups`, json('POST', { sub_groups: [{ group_id: paid.id, weight: 2, priority: 2 }] })))
    expect(subs.map(({ name, weight, priority }) => ({ name, weight, priority }))).toEqual([
      { name: 'free', weight: 1, priority: 1 },
      { name: 'paid', weight: 2, priority: 2 },
    ])
    // changing the weight alone keeps the tier
    subs = await data<SubGroupView[]>(app.api(`/api/groups/${agg.id}/sub-groups/${paid.id}`, json('PUT', { weight: 4 })))
    expect(subs.find((s) => s.name === 'paid')).toMatchObject({ weight: 4, priority: 2 })
    subs = await data<SubGroupView[]>(app.api(`/api/groups/${agg.id}/sub-groups/${paid.id}`, json('PUT', { weight: 4, priority: 3 })))
    expect(subs.find((s) => s.name === 'paid')).toMatchObject({ weight: 4, priority: 3 })
    await expectError(
      app.api(`/api/groups/${agg.id}`, json('PUT', { sub_groups: [{ group_id: free.id, weight: 1, priority: 0 }] })),
      400, 'VALIDATION_ERROR', 'sub_groups[0].priority must be an integer from 1 to 100',
    )
  })

  test('the OpenAPI document describes the new fields', async () => {
    await using app = await createTestApp()
    const doc = JSON.stringify(await (await app.api('/api/openapi.json')).json())
    expect(doc).toContain('model globs served on the root routes')
    expect(doc).toContain('tier inside the aggregate')
  })
})
