/**
 * A translated stream is relayed event by event: the client holds its first translated event while the upstream is
 * still held after its own first event (the fake upstream sends the rest only once the test releases it).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'

let upstream: FakeUpstream
let app: TestApp
beforeAll(async () => {
  upstream = await startFakeUpstream()
  app = await createTestApp()
  for (const g of ['openai', 'anthropic', 'gemini'] as const)
    await seedGroup(app.deps, { name: g, channel_type: g, upstreams: [{ url: upstream.url, weight: 1 }], config: { protocol_translation: true } }, [`sk-${g}`])
})
afterAll(async () => {
  await app.stop()
  await upstream.stop()
})

/** Runs `consume`, which must call `onEvent` per event; records the order of client events and the release. */
async function ordering(consume: (onEvent: (label: string) => void) => Promise<void>): Promise<string[]> {
  const order: string[] = []
  const held = upstream.holdNextStream()
  let released = false
  await consume((label) => {
    order.push(label)
    if (!released) {
      released = true
      order.push('upstream released')
      held.release()
    }
  })
  return order
}

test('OpenAI SDK streaming from an Anthropic group: first chunk before the upstream sends its second event', async () => {
  const client = new OpenAI({ apiKey: TEST_AUTH_KEY, baseURL: `${app.url}/proxy/anthropic/v1`, maxRetries: 0 })
  let text = ''
  const order = await ordering(async (on) => {
    const s = await client.chat.completions.create({ model: 'claude-x', stream: true, messages: [{ role: 'user', content: 'x' }] })
    for await (const c of s) {
      text += c.choices[0]?.delta?.content ?? ''
      on('chunk')
    }
  })
  expect(order.slice(0, 2)).toEqual(['chunk', 'upstream released'])
  expect(order.filter((o) => o === 'chunk').length).toBeGreaterThan(5)
  expect(text).toBe('fake0 fake1 fake2 fake3 fake4 ')
})

test('Anthropic SDK streaming from a Gemini group: message_start and the first text before the rest exists', async () => {
  const client = new Anthropic({ apiKey: TEST_AUTH_KEY, baseURL: `${app.url}/proxy/gemini`, maxRetries: 0 })
  const order = await ordering(async (on) => {
    const s = await client.messages.create({ model: 'gemini-2.0-flash', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'x' }] })
    for await (const ev of s) on(ev.type === 'content_block_delta' && ev.delta.type === 'text_delta' ? `text:${ev.delta.text}` : ev.type)
  })
  // the upstream's first Gemini chunk carried "fake0 ": everything it translates to arrives before the release
  expect(order.slice(0, 2)).toEqual(['message_start', 'upstream released'])
  expect(order.indexOf('text:fake0 ')).toBeGreaterThan(1)
  expect(order.at(-1)).toBe('message_stop')
})

test('Gemini SDK streaming from an OpenAI group', async () => {
  const ai = new GoogleGenAI({ apiKey: TEST_AUTH_KEY, httpOptions: { baseUrl: `${app.url}/proxy/openai` } })
  const order = await ordering(async (on) => {
    for await (const c of await ai.models.generateContentStream({ model: 'gpt-4o', contents: 'x' })) on(`text:${c.text ?? ''}`)
  })
  expect(order.slice(0, 2)).toEqual(['text:', 'upstream released'])
})
