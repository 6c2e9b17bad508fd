/** The official SDKs with one base URL: the model alone picks the group, in each SDK's own protocol. */
import { describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { finalRows, GLOBAL_KEY, routingRig, threeFamilies } from './helpers'

describe('one base URL, three groups', () => {
  test('OpenAI, Anthropic and Google GenAI SDKs each reach the group that serves their model', async () => {
    await using rig = await routingRig()
    await threeFamilies(rig)
    const openai = new OpenAI({ apiKey: GLOBAL_KEY, baseURL: rig.v1, maxRetries: 0 })
    const done = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    expect(done.choices[0]!.message.content).toBeTruthy()
    let streamed = ''
    for await (const chunk of await openai.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }))
      streamed += chunk.choices[0]?.delta?.content ?? ''
    expect(streamed.length).toBeGreaterThan(0)
    const emb = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['a'] })
    expect(emb.data.length).toBe(1)

    const anthropic = new Anthropic({ apiKey: GLOBAL_KEY, baseURL: rig.app.url, maxRetries: 0 })
    const msg = await anthropic.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] })
    expect(msg.content[0]!.type).toBe('text')
    const final = await anthropic.messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 's' }] }).finalMessage()
    expect(final.usage.output_tokens).toBeGreaterThan(0)

    const ai = new GoogleGenAI({ apiKey: GLOBAL_KEY, httpOptions: { baseUrl: rig.app.url } })
    const gen = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hello' })
    expect(gen.text).toBeTruthy()
    let text = ''
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-1.5-pro', contents: 'stream' })) text += chunk.text ?? ''
    expect(text.length).toBeGreaterThan(0)

    // each family's calls went out with that group's own pool keys, never the caller's key
    const keysBy = (prefix: string) => rig.upstream.requests.filter((r) => r.path.startsWith(prefix)).map((r) => r.key)
    expect(new Set(keysBy('/v1/chat')).size).toBeGreaterThan(0)
    expect(keysBy('/v1/chat').every((k) => k === 'sk-gpt-1' || k === 'sk-gpt-2')).toBe(true)
    expect(keysBy('/v1/messages')).toEqual(['sk-ant-1', 'sk-ant-1'])
    // this SDK calls /v1/models/{m}:generateContent; /v1beta/models/… is routed the same way (tests/routing/routes.test.ts)
    expect(keysBy('/v1/models/')).toEqual(['AIza-gem-1', 'AIza-gem-1'])
    const rows = await finalRows(rig.app)
    expect(rows.map((r) => [r.group_name, r.tier, r.is_success])).toEqual([
      ['gpt', 1, true], ['gpt', 1, true], ['gpt', 1, true],
      ['claude', 1, true], ['claude', 1, true],
      ['gem', 1, true], ['gem', 1, true],
    ])
  })

  test('a model no group serves is model_not_found in each SDK', async () => {
    await using rig = await routingRig()
    await threeFamilies(rig)
    const openai = new OpenAI({ apiKey: GLOBAL_KEY, baseURL: rig.v1, maxRetries: 0 })
    const e1 = await openai.chat.completions.create({ model: 'o3-pro', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)
    expect(e1).toBeInstanceOf(OpenAI.NotFoundError)
    expect((e1 as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found')
    // embeddings have no translation: the Gemini model is not an embedding model of any OpenAI group
    const e2 = await openai.embeddings.create({ model: 'gemini-2.0-flash', input: ['x'] }).catch((e) => e)
    expect(e2).toBeInstanceOf(OpenAI.NotFoundError)
    const anthropic = new Anthropic({ apiKey: GLOBAL_KEY, baseURL: rig.app.url, maxRetries: 0 })
    const e3 = await anthropic.messages.create({ model: 'claude-opus-9', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)
    expect(e3).toBeInstanceOf(Anthropic.NotFoundError)
    expect((e3 as { error: unknown }).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    const ai = new GoogleGenAI({ apiKey: GLOBAL_KEY, httpOptions: { baseUrl: rig.app.url } })
    const e4 = await ai.models.generateContent({ model: 'gemini-9-ultra', contents: 'x' }).catch((e) => e)
    expect((e4 as { status?: number }).status).toBe(404)
    expect(String((e4 as Error).message)).toContain('not available')
    expect(rig.upstream.requests).toEqual([])
  })

  test('a model of another protocol is reached through translation, in the caller\'s shape', async () => {
    await using rig = await routingRig()
    await threeFamilies(rig)
    const openai = new OpenAI({ apiKey: GLOBAL_KEY, baseURL: rig.v1, maxRetries: 0 })
    const viaClaude = await openai.chat.completions.create({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }] })
    expect(viaClaude.object).toBe('chat.completion')
    expect(viaClaude.choices[0]!.message.content).toBeTruthy()
    const anthropic = new Anthropic({ apiKey: GLOBAL_KEY, baseURL: rig.app.url, maxRetries: 0 })
    const viaGemini = await anthropic.messages.create({ model: 'gemini-2.0-flash', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })
    expect(viaGemini.type).toBe('message')
    expect(viaGemini.content[0]!.type).toBe('text')
    const ai = new GoogleGenAI({ apiKey: GLOBAL_KEY, httpOptions: { baseUrl: rig.app.url } })
    let text = ''
    for await (const chunk of await ai.models.generateContentStream({ model: 'gpt-4o-mini', contents: 'stream' })) text += chunk.text ?? ''
    expect(text.length).toBeGreaterThan(0)
    expect(rig.upstream.requests.map((r) => [r.path, r.key])).toEqual([
      ['/v1/messages', 'sk-ant-1'],
      ['/v1beta/models/gemini-2.0-flash:generateContent', 'AIza-gem-1'],
      ['/v1/chat/completions', rig.upstream.requests[2]!.key],
    ])
    const rows = await finalRows(rig.app)
    expect(rows.map((r) => [r.group_name, r.protocol_in, r.protocol_out, r.tier])).toEqual([
      ['claude', 'openai', 'anthropic', 1],
      ['gem', 'anthropic', 'gemini', 1],
      ['gpt', 'gemini', 'openai', 1],
    ])
  })
})
