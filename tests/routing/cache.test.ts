/** The response cache on the root routes: a routed call is looked up in the cache of the candidate it comes to. */
import { describe, expect, test } from 'bun:test'
import { chatAt, finalRows, GLOBAL_KEY, routingRig } from './helpers'

const CACHED = { config: { cache_ttl_seconds: 60 } }

describe('routed calls and the response cache', () => {
  test('a second identical routed call is a hit of the serving group: no upstream call, its row names that group', async () => {
    await using rig = await routingRig()
    await rig.group('gpt', { channel_type: 'openai', models: ['gpt-4o*'], ...CACHED }, ['sk-gpt-1'])
    const first = await chatAt(rig.app.url, 'gpt-4o-mini')
    expect(first.status).toBe(200)
    expect(first.headers.get('x-keypool-cache')).toBe('miss')
    const body = await first.text()
    const second = await chatAt(rig.app.url, 'gpt-4o-mini')
    expect(second.status).toBe(200)
    expect(second.headers.get('x-keypool-cache')).toBe('hit')
    expect(await second.text()).toBe(body)
    expect(rig.upstream.requests).toHaveLength(1)
    // another body is another entry
    expect((await chatAt(rig.app.url, 'gpt-4o-mini', GLOBAL_KEY, { temperature: 0 })).headers.get('x-keypool-cache')).toBe('miss')
    expect(rig.upstream.requests).toHaveLength(2)
    const rows = await finalRows(rig.app)
    expect(rows.map((r) => [r.group_name, r.cache_hit, r.status_code])).toEqual([
      ['gpt', false, 200],
      ['gpt', true, 200],
      ['gpt', false, 200],
    ])
  })

  test('a routed call and a /proxy/{group} call of the same request share the entry', async () => {
    await using rig = await routingRig()
    await rig.group('gpt', { channel_type: 'openai', models: ['gpt-4o*'], ...CACHED }, ['sk-gpt-1'])
    expect((await chatAt(`${rig.app.url}/proxy/gpt`, 'gpt-4o-mini')).headers.get('x-keypool-cache')).toBe('miss')
    expect((await chatAt(rig.app.url, 'gpt-4o-mini')).headers.get('x-keypool-cache')).toBe('hit')
    expect(rig.upstream.requests).toHaveLength(1)
  })

  test('the hit is looked up in the group the call reaches: a candidate without a usable key is passed over', async () => {
    await using rig = await routingRig()
    // tier 1 has no key at all; the call falls to tier 2, whose cache answers the second time
    await rig.group('first', { channel_type: 'openai', models: ['gpt-4o*'], priority: 1, ...CACHED }, [])
    await rig.group('second', { channel_type: 'openai', models: ['gpt-4o*'], priority: 2, ...CACHED }, ['sk-second-1'])
    expect((await chatAt(rig.app.url, 'gpt-4o-mini')).headers.get('x-keypool-cache')).toBe('miss')
    const again = await chatAt(rig.app.url, 'gpt-4o-mini')
    expect(again.headers.get('x-keypool-cache')).toBe('hit')
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-second-1'])
    expect((await finalRows(rig.app)).map((r) => [r.group_name, r.cache_hit])).toEqual([
      ['second', false],
      ['second', true],
    ])
  })

  test('a translated candidate is not cached: its cache holds answers in its own protocol', async () => {
    await using rig = await routingRig()
    await rig.group('claude', { channel_type: 'anthropic', models: ['claude-3-5-haiku-latest'], ...CACHED }, ['sk-ant-1'])
    for (let i = 0; i < 2; i++) {
      const res = await chatAt(rig.app.url, 'claude-3-5-haiku-latest')
      expect(res.status).toBe(200)
      expect(res.headers.get('x-keypool-cache')).toBeNull()
      expect(((await res.json()) as { object: string }).object).toBe('chat.completion')
    }
    expect(rig.upstream.requests).toHaveLength(2)
  })
})
