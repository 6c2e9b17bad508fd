/**
 * Every official SDK against groups of every other channel through a real keypool (port 0) and the fake upstream:
 * plain, streamed, and a tool round trip (two parallel calls, then their results), plain and streamed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI, type Content } from '@google/genai'
import OpenAI from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { ResponseInputItem } from 'openai/resources/responses/responses'
import type { ChannelType } from '../../server/channels/types'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'
import { logsOf } from '../proxy/helpers'

type Upstream = Extract<ChannelType, 'openai' | 'anthropic' | 'gemini'>
type Caller = 'openai' | 'responses' | 'anthropic' | 'gemini'
const MODEL: Record<Upstream, string> = { openai: 'gpt-4o', anthropic: 'claude-3-5-haiku-20241022', gemini: 'gemini-2.0-flash' }
const KEY = TEST_AUTH_KEY
const WEATHER = { name: 'get_weather', description: 'Weather in a city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
const TIME = { name: 'get_time', description: 'Local time in a city', schema: { type: 'object', properties: { zone: { type: 'string' } } } }
const RESULTS: Record<string, string> = { get_weather: 'sunny', get_time: '12:00' }

/** What one SDK call came back with, in a caller-neutral form. */
interface Outcome {
  text: string
  usage: number
  calls: { name: string; args: Record<string, unknown> }[]
}

let upstream: FakeUpstream
let app: TestApp
const base = (g: Upstream) => `${app.url}/proxy/${g}`

beforeAll(async () => {
  upstream = await startFakeUpstream()
  app = await createTestApp()
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  for (const g of ['openai', 'anthropic', 'gemini'] as const)
    await seedGroup(app.deps, { name: g, channel_type: g, upstreams: [{ url: upstream.url, weight: 1 }], config: { protocol_translation: true } }, [`sk-${g}-1`])
})
afterAll(async () => {
  await app.stop()
  await upstream.stop()
})

// ---- one driver per SDK: ask (optionally streamed, optionally with tools), and answer tool calls ----

async function openaiChat(g: Upstream, stream: boolean, tools: boolean): Promise<Outcome[]> {
  const client = new OpenAI({ apiKey: KEY, baseURL: `${base(g)}/v1`, maxRetries: 0 })
  const defs = tools ? [WEATHER, TIME].map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.schema } })) : undefined
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Paris' }]
  const ask = async (): Promise<Outcome & { ids: string[] }> => {
    if (!stream) {
      const r = await client.chat.completions.create({ model: MODEL[g], messages, tools: defs, max_tokens: 50 })
      const calls = (r.choices[0]!.message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c] : []))
      return { text: r.choices[0]!.message.content ?? '', usage: r.usage!.total_tokens, calls: calls.map((c) => ({ name: c.function.name, args: JSON.parse(c.function.arguments) })), ids: calls.map((c) => c.id) }
    }
    const s = await client.chat.completions.create({ model: MODEL[g], messages, tools: defs, max_tokens: 50, stream: true, stream_options: { include_usage: true } })
    let text = ''
    let usage = 0
    const acc = new Map<number, { id: string; name: string; args: string }>()
    for await (const c of s) {
      text += c.choices[0]?.delta?.content ?? ''
      for (const tc of c.choices[0]?.delta?.tool_calls ?? []) {
        const a = acc.get(tc.index) ?? { id: '', name: '', args: '' }
        a.id ||= tc.id ?? ''
        a.name ||= tc.function?.name ?? ''
        a.args += tc.function?.arguments ?? ''
        acc.set(tc.index, a)
      }
      if (c.usage) usage = c.usage.total_tokens
    }
    const calls = [...acc.values()]
    return { text, usage, calls: calls.map((c) => ({ name: c.name, args: JSON.parse(c.args) })), ids: calls.map((c) => c.id) }
  }
  const first = await ask()
  if (!tools) return [first]
  messages.push({ role: 'assistant', content: null, tool_calls: first.calls.map((c, i) => ({ id: first.ids[i]!, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) })
  first.calls.forEach((c, i) => messages.push({ role: 'tool', tool_call_id: first.ids[i]!, content: RESULTS[c.name]! }))
  return [first, await ask()]
}

async function openaiResponses(g: Upstream, stream: boolean, tools: boolean): Promise<Outcome[]> {
  const client = new OpenAI({ apiKey: KEY, baseURL: `${base(g)}/v1`, maxRetries: 0 })
  const defs = tools ? [WEATHER, TIME].map((t) => ({ type: 'function' as const, name: t.name, description: t.description, parameters: t.schema, strict: false })) : undefined
  const input: ResponseInputItem[] = [{ role: 'user', content: 'Paris' }]
  const ask = async (): Promise<Outcome & { items: ResponseInputItem[] }> => {
    let r: OpenAI.Responses.Response
    let streamed = ''
    if (!stream) r = await client.responses.create({ model: MODEL[g], instructions: 'Be brief.', input, tools: defs, max_output_tokens: 50 })
    else {
      let done: OpenAI.Responses.Response | null = null
      for await (const ev of await client.responses.create({ model: MODEL[g], instructions: 'Be brief.', input, tools: defs, max_output_tokens: 50, stream: true })) {
        if (ev.type === 'response.output_text.delta') streamed += ev.delta
        if (ev.type === 'response.completed') done = ev.response
      }
      r = done!
      expect(streamed).toBe(r.output_text)
    }
    const calls = r.output.flatMap((o) => (o.type === 'function_call' ? [o] : []))
    return { text: r.output_text, usage: r.usage!.total_tokens, calls: calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) })), items: calls.map((c) => ({ type: 'function_call', call_id: c.call_id, name: c.name, arguments: c.arguments })) }
  }
  const first = await ask()
  if (!tools) return [first]
  input.push(...first.items)
  for (const it of first.items) if (it.type === 'function_call') input.push({ type: 'function_call_output', call_id: it.call_id, output: RESULTS[it.name]! })
  return [first, await ask()]
}

async function anthropicMessages(g: Upstream, stream: boolean, tools: boolean): Promise<Outcome[]> {
  const client = new Anthropic({ apiKey: KEY, baseURL: base(g), maxRetries: 0 })
  const defs = tools ? [WEATHER, TIME].map((t) => ({ name: t.name, description: t.description, input_schema: t.schema as Anthropic.Tool.InputSchema })) : undefined
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Paris' }]
  const ask = async () => {
    const params = { model: MODEL[g], max_tokens: 50, system: 'Be brief.', messages, tools: defs }
    const m = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params)
    const text = m.content.map((b) => (b.type === 'text' ? b.text : '')).join('')
    const uses = m.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []))
    return { m, outcome: { text, usage: m.usage.input_tokens + m.usage.output_tokens, calls: uses.map((u) => ({ name: u.name, args: u.input as Record<string, unknown> })) }, uses }
  }
  const first = await ask()
  if (!tools) return [first.outcome]
  expect(first.m.stop_reason).toBe('tool_use')
  messages.push({ role: 'assistant', content: first.m.content })
  messages.push({ role: 'user', content: first.uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: RESULTS[u.name]! })) })
  return [first.outcome, (await ask()).outcome]
}

async function geminiGenerate(g: Upstream, stream: boolean, tools: boolean): Promise<Outcome[]> {
  const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: base(g) } })
  const config = {
    systemInstruction: 'Be brief.',
    maxOutputTokens: 50,
    ...(tools ? { tools: [{ functionDeclarations: [WEATHER, TIME].map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.schema })) }] } : {}),
  }
  const contents: Content[] = [{ role: 'user', parts: [{ text: 'Paris' }] }]
  const ask = async (): Promise<Outcome> => {
    if (!stream) {
      const r = await ai.models.generateContent({ model: MODEL[g], contents, config })
      return { text: partsText(r.candidates?.[0]?.content), usage: r.usageMetadata?.totalTokenCount ?? 0, calls: (r.functionCalls ?? []).map((c) => ({ name: c.name!, args: c.args ?? {} })) }
    }
    let text = ''
    let usage = 0
    const calls: Outcome['calls'] = []
    for await (const c of await ai.models.generateContentStream({ model: MODEL[g], contents, config })) {
      text += partsText(c.candidates?.[0]?.content)
      for (const fc of c.functionCalls ?? []) calls.push({ name: fc.name!, args: fc.args ?? {} })
      if (c.usageMetadata?.totalTokenCount) usage = c.usageMetadata.totalTokenCount
    }
    return { text, usage, calls }
  }
  const first = await ask()
  if (!tools) return [first]
  contents.push({ role: 'model', parts: first.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } })) })
  contents.push({ role: 'user', parts: first.calls.map((c) => ({ functionResponse: { name: c.name, response: { result: RESULTS[c.name] } } })) })
  return [first, await ask()]
}

/** Text parts only (the SDK's `text` getter warns when function calls sit beside them). */
const partsText = (c: Content | undefined) => (c?.parts ?? []).map((p) => p.text ?? '').join('')

/** What the upstream of each group must have been asked. */
const UPSTREAM_PATH: Record<Upstream, (stream: boolean) => string> = {
  openai: () => '/v1/chat/completions',
  anthropic: () => '/v1/messages',
  gemini: (stream) => `/v1beta/models/${MODEL.gemini}:${stream ? 'streamGenerateContent' : 'generateContent'}`,
}

const DRIVERS: Record<Caller, (g: Upstream, stream: boolean, tools: boolean) => Promise<Outcome[]>> = {
  openai: openaiChat,
  responses: openaiResponses,
  anthropic: anthropicMessages,
  gemini: geminiGenerate,
}

const PAIRS: [Caller, Upstream][] = [
  ['openai', 'anthropic'], ['openai', 'gemini'],
  ['anthropic', 'openai'], ['anthropic', 'gemini'],
  ['gemini', 'openai'], ['gemini', 'anthropic'],
  ['responses', 'openai'], ['responses', 'anthropic'], ['responses', 'gemini'],
]

for (const [caller, g] of PAIRS) {
  describe(`${caller} SDK -> ${g} group`, () => {
    for (const stream of [false, true]) {
      test(`${stream ? 'streamed' : 'plain'} text`, async () => {
        const [out] = await DRIVERS[caller](g, stream, false)
        expect(out!.text).toBe('fake0 fake1 fake2 fake3 fake4 ')
        expect(out!.usage).toBeGreaterThan(0)
        const asked = upstream.requests.at(-1)!
        expect([asked.path, asked.key]).toEqual([UPSTREAM_PATH[g](stream), `sk-${g}-1`])
        if (g === 'gemini' && stream) expect(asked.query).toEqual({ alt: 'sse' })
        const row = (await logsOf(app)).find((r) => r.protocol_in === caller && r.protocol_out === g && r.is_stream === stream)
        expect(row).toMatchObject({ is_success: true, group_name: g })
        expect(row!.total_tokens).toBeGreaterThan(0)
      })
      test(`${stream ? 'streamed' : 'plain'} tool round trip with parallel calls`, async () => {
        const [first, second] = await DRIVERS[caller](g, stream, true)
        expect(first!.calls).toEqual([
          { name: 'get_weather', args: { city: 'Paris' } },
          { name: 'get_time', args: { zone: 'Paris' } },
        ])
        expect(second!.calls).toEqual([])
        expect(second!.text).toStartWith('tool results: ')
        expect(second!.text).toContain('sunny')
        expect(second!.text).toContain('12:00')
      })
    }
  })
}
