/**
 * The official `openai` SDK's Realtime WebSocket client (openai/beta/realtime/ws) through keypool. The SDK refuses
 * anything but wss://, so nginx terminates TLS in front of keypool (WebSocket upgrades passed through).
 */
import { expect, test } from 'bun:test'
import OpenAI from 'openai'
import { OpenAIRealtimeWS } from 'openai/beta/realtime/ws'
import { startFakeWsUpstream } from '../support/fake-ws-upstream'
import { startNginxTls } from '../support/nginx-tls'
import { createTestApp, seedGroup, waitFor } from '../support/test-app'
import { logsOf, PROXY_KEY } from './helpers'

test('OpenAIRealtimeWS: session events, a response.done with usage, the pool key injected, one log row', async () => {
  await using up = await startFakeWsUpstream()
  await using app = await createTestApp()
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }] }, ['sk-good-sdk'])
  await using tls = await startNginxTls(app.url)

  const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${tls.url}/proxy/rt/v1` })
  const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { rejectUnauthorized: false } }, client)
  const errors: unknown[] = []
  rt.on('error', (e) => errors.push(e))
  const created = new Promise<{ type: string }>((resolve) => rt.on('session.created', resolve))
  const done = new Promise<{ response: { usage?: { total_tokens?: number } } }>((resolve) => rt.on('response.done', resolve))
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve())
    rt.socket.once('error', reject)
  })
  expect((await created).type).toBe('session.created')
  // the fake upstream answers this command with a Realtime `response.done` carrying usage
  rt.send({ type: 'fake.usage', shape: 'realtime', input: 40, output: 2 } as never)
  expect((await done).response.usage?.total_tokens).toBe(42)
  const closed = new Promise<number>((resolve) => rt.socket.once('close', (code: number) => resolve(code)))
  rt.close({ code: 1000, reason: 'done' })
  expect(await closed).toBe(1000)
  expect(errors).toEqual([])

  const hs = up.handshakes[0]!
  expect(hs).toMatchObject({ path: '/v1/realtime', key: 'sk-good-sdk', query: { model: 'gpt-realtime' } })
  expect(hs.headers['openai-beta']).toBe('realtime=v1')
  expect(JSON.stringify(hs.headers)).not.toContain(PROXY_KEY)
  await waitFor(async () => (await logsOf(app)).length === 1, 5000, 'the session row')
  expect((await logsOf(app))[0]).toMatchObject({ status_code: 101, is_success: true, model: 'gpt-realtime', total_tokens: 42 })
})
