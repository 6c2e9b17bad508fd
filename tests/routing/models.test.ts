/** The root model lists: only what the caller can reach, in the shape its SDK expects. */
import { describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { chatAt, GLOBAL_KEY, routingRig, threeFamilies } from './helpers'

describe('root model lists', () => {
  test('a global key sees the concrete models of every group it can reach (natively or translated), in each shape', async () => {
    await using rig = await routingRig()
    await threeFamilies(rig)
    const openai = new OpenAI({ apiKey: GLOBAL_KEY, baseURL: rig.v1, maxRetries: 0 })
    const ids: string[] = []
    for await (const m of openai.models.list()) ids.push(m.id)
    // `gpt-4o*` and `gemini-1.5-*` are globs: they name no single model and are not listed
    const every = ['claude-3-5-haiku-latest', 'gemini-2.0-flash', 'text-embedding-3-small']
    expect(ids).toEqual(every)
    const anthropic = new Anthropic({ apiKey: GLOBAL_KEY, baseURL: rig.app.url, maxRetries: 0 })
    const claude: string[] = []
    for await (const m of anthropic.models.list()) claude.push(m.id)
    expect(claude).toEqual(every)
    const ai = new GoogleGenAI({ apiKey: GLOBAL_KEY, httpOptions: { baseUrl: rig.app.url, apiVersion: 'v1beta' } })
    const gem: string[] = []
    for await (const m of await ai.models.list()) gem.push(m.name ?? '')
    expect(gem).toEqual(every.map((m) => `models/${m}`))
    expect(rig.upstream.requests).toEqual([]) // answered by keypool itself
  })

  test("a group's own proxy key lists and reaches only its group; an unknown key is refused", async () => {
    await using rig = await routingRig()
    await rig.group('team-a', { models: ['a-1', 'shared'], proxy_keys: 'sk-team-a' }, ['sk-up-a'])
    await rig.group('team-b', { models: ['b-1', 'shared'], proxy_keys: 'sk-team-b' }, ['sk-up-b'])
    const list = async (key: string) => {
      const res = await fetch(`${rig.v1}/models`, { headers: { authorization: `Bearer ${key}` } })
      return { status: res.status, body: (await res.json()) as { data?: { id: string }[] } }
    }
    expect((await list('sk-team-a')).body.data!.map((m) => m.id)).toEqual(['a-1', 'shared'])
    expect((await list(GLOBAL_KEY)).body.data!.map((m) => m.id)).toEqual(['a-1', 'b-1', 'shared'])
    const refused = await list('sk-nobody')
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key' } } })
    // b-1 exists, but not for team a: the same 404 as a model nobody serves
    const res = await chatAt(rig.app.url, 'b-1', 'sk-team-a')
    expect(res.status).toBe(404)
    expect(JSON.stringify(await res.json())).not.toContain('team-b')
    for (let i = 0; i < 3; i++) expect((await chatAt(rig.app.url, 'shared', 'sk-team-a')).status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-up-a', 'sk-up-a', 'sk-up-a'])
  })

  test("access keys: a key's groups and models bound both the list and the calls; its limits apply", async () => {
    await using rig = await routingRig()
    await rig.group('g1', { models: ['m-1', 'm-2'] }, ['sk-up-1'])
    await rig.group('g2', { models: ['m-3'] }, ['sk-up-2'])
    const create = async (body: Record<string, unknown>) => {
      const res = await rig.app.api('/api/access-keys', { method: 'POST', body: JSON.stringify(body) })
      expect(res.status).toBe(200)
      return ((await res.json()) as { data: { key: string } }).data.key
    }
    const limited = await create({ name: 'limited', groups: ['g1'], models: ['m-1'], rpm_limit: 2 })
    const all = await create({ name: 'all' })
    const ids = async (key: string) =>
      ((await (await fetch(`${rig.v1}/models`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { id: string }[] }).data.map((m) => m.id)
    expect(await ids(limited)).toEqual(['m-1'])
    expect(await ids(all)).toEqual(['m-1', 'm-2', 'm-3'])
    expect((await chatAt(rig.app.url, 'm-2', limited)).status).toBe(404)
    expect((await chatAt(rig.app.url, 'm-3', limited)).status).toBe(404)
    expect((await chatAt(rig.app.url, 'm-1', limited)).status).toBe(200)
    expect((await chatAt(rig.app.url, 'm-1', limited)).status).toBe(200)
    // the third within the minute is over its RPM, on the root routes as on /proxy
    const third = await chatAt(rig.app.url, 'm-1', limited)
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).not.toBeNull()
    expect((await chatAt(rig.app.url, 'm-3', all)).status).toBe(200)
  })

  test('other root paths are not routed: a clear 404 naming /proxy/{group}', async () => {
    await using rig = await routingRig()
    const res = await fetch(`${rig.v1}/files`, { headers: { authorization: `Bearer ${GLOBAL_KEY}` } })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('/proxy/{group}')
  })
})
