/** Tiers inside an aggregate group: a lower tier serves only while every sub-group above is out or failed. */
import { describe, expect, test } from 'bun:test'
import { seedGroup } from '../support/test-app'
import { chatAt, finalRows, routingRig, type RoutingRig } from './helpers'

async function aggregate(rig: RoutingRig, subs: { name: string; keys: string[]; priority: number; weight?: number }[], models: string[] = []) {
  const made = []
  for (const s of subs) made.push({ g: await rig.group(s.name, {}, s.keys), priority: s.priority, weight: s.weight ?? 1 })
  return seedGroup(rig.app.deps, {
    name: 'agg',
    group_type: 'aggregate',
    upstreams: [],
    models,
    sub_groups: made.map((m) => ({ group_id: m.g.id, weight: m.weight, priority: m.priority })),
  })
}

describe('aggregate tiers', () => {
  test('every sub-group of the first tier fails: the second tier serves; when they recover the first tier is back', async () => {
    await using rig = await routingRig()
    await aggregate(rig, [
      { name: 'free-1', keys: ['sk-f1'], priority: 1 },
      { name: 'free-2', keys: ['sk-f2'], priority: 1 },
      { name: 'paid', keys: ['sk-paid'], priority: 2 },
    ])
    rig.upstream.setBehavior('sk-f1', '500')
    rig.upstream.setBehavior('sk-f2', '500')
    expect((await chatAt(`${rig.app.url}/proxy/agg`, 'gpt-4o-mini')).status).toBe(200)
    // both free sub-groups are tried before the paid tier
    const keys = rig.upstream.requests.map((r) => r.key)
    expect(keys.slice(0, 2).sort()).toEqual(['sk-f1', 'sk-f2'])
    expect(keys[2]).toBe('sk-paid')
    rig.upstream.setBehavior('sk-f1', null)
    rig.upstream.setBehavior('sk-f2', null)
    rig.upstream.reset()
    for (let i = 0; i < 4; i++) expect((await chatAt(`${rig.app.url}/proxy/agg`, 'gpt-4o-mini')).status).toBe(200)
    expect(rig.upstream.requests.every((r) => r.key === 'sk-f1' || r.key === 'sk-f2')).toBe(true)
    const rows = await finalRows(rig.app)
    expect(rows.map((r) => [r.group_name, r.tier])).toEqual([['paid', 2], ...rows.slice(1).map((r) => [r.group_name, 1])])
  })

  test('a first tier without usable keys sends everything to the next tier, never past it', async () => {
    await using rig = await routingRig()
    await aggregate(rig, [
      { name: 'free-empty', keys: [], priority: 1 },
      { name: 'paid', keys: ['sk-paid'], priority: 2 },
      { name: 'last', keys: ['sk-last'], priority: 3 },
    ])
    for (let i = 0; i < 3; i++) expect((await chatAt(`${rig.app.url}/proxy/agg`, 'gpt-4o-mini')).status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-paid', 'sk-paid', 'sk-paid'])
  })

  test('one tier (no priorities set) behaves as before: a failed attempt retries on a sub-group with keys', async () => {
    await using rig = await routingRig()
    await aggregate(rig, [
      { name: 's1', keys: ['sk-500-a', 'sk-ok-a'], priority: 1 },
    ])
    expect((await chatAt(`${rig.app.url}/proxy/agg`, 'gpt-4o-mini')).status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-500-a', 'sk-ok-a'])
  })

  test('an aggregate reached by model on the root routes keeps its own tiers', async () => {
    await using rig = await routingRig()
    await aggregate(rig, [
      { name: 'free', keys: ['sk-free'], priority: 1 },
      { name: 'paid', keys: ['sk-paid'], priority: 2 },
    ], ['gpt-4o-mini'])
    rig.upstream.setBehavior('sk-free', '429')
    expect((await chatAt(rig.app.url, 'gpt-4o-mini')).status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-free', 'sk-paid'])
    const [row] = await finalRows(rig.app)
    expect([row!.group_name, row!.tier]).toEqual(['paid', 2])
  })
})
