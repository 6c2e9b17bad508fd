/**
 * WebSocket upgrades on /proxy/{group}/… (OpenAI Realtime, Responses WebSocket mode, Gemini Live) through a real
 * keypool on port 0 to a fake WebSocket upstream: proxy-key check, key injection, rotation on a refused
 * handshake, frames both ways, close codes, the session's log row with usage, and no pool key for the client.
 */
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'bun:test'
import type { NewGroup } from '../../db/types'
import type { Clock } from '../../server/shared/clock'
import { startFakeWsUpstream, type FakeWsUpstream } from '../support/fake-ws-upstream'
import { createTestApp, keyStates, seedGroup, waitFor, type TestApp } from '../support/test-app'
import { openOrThrow, openSocket, rawHandshake, type Received } from '../support/ws-client'
import { logsOf, PROXY_KEY } from './helpers'

interface WsRig {
  app: TestApp
  up: FakeWsUpstream
  groupId: number
  /** ws://…/proxy/{group} */
  base: string
  [Symbol.asyncDispose](): Promise<void>
}

async function wsRig(keys: string[], fields: Partial<NewGroup> = {}, clock?: Clock): Promise<WsRig> {
  const up = await startFakeWsUpstream()
  const app = await createTestApp({ clock })
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  const name = fields.name ?? 'rt'
  const group = await seedGroup(app.deps, { name, upstreams: [{ url: up.url, weight: 1 }], ...fields }, keys)
  return {
    app,
    up,
    groupId: group.id,
    base: `${app.url.replace(/^http/, 'ws')}/proxy/${name}`,
    async [Symbol.asyncDispose]() {
      await app.stop()
      await up.stop()
    },
  }
}

const auth = { authorization: `Bearer ${PROXY_KEY}` }
const text = (r: Received) => (r.kind === 'text' ? r.text : `<binary ${r.bytes.length}>`)

describe('WebSocket proxy', () => {
  test('a session holds its key\'s concurrency slot until it ends (key_concurrency_limit)', async () => {
    await using rig = await wsRig(['sk-good-ws'], { config: { key_concurrency_limit: 1 } })
    const url = `${rig.base}/v1/realtime?model=gpt-realtime`
    const first = await openOrThrow(url, { headers: auth })
    // the only key serves one session at a time: a second one is refused while the first lasts
    const second = await openSocket(url, { headers: auth })
    expect(second.ok).toBe(false)
    first.ws.close(1000)
    await first.closed
    await waitFor(async () => (await rig.app.deps.pool.paced(rig.groupId, [1])).size === 0, 5000, 'the slot released')
    const third = await openOrThrow(url, { headers: auth })
    third.ws.close(1000)
    await third.closed
  })

  test('a wrong or missing proxy key is refused with 401 in the native shape and never reaches the upstream', async () => {
    await using rig = await wsRig(['sk-good-1'])
    const wrong = await openSocket(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong).toMatchObject({ ok: false })
    expect(!wrong.ok && wrong.error).toContain('401')
    const raw = await rawHandshake(`${rig.app.url}/proxy/rt/v1/realtime?model=gpt-realtime`)
    expect(raw.status).toBe(401)
    expect(JSON.parse(raw.body)).toMatchObject({ error: { code: 'invalid_api_key' } })
    const subprotocol = await openSocket(`${rig.base}/v1/realtime`, { protocols: ['realtime', 'openai-insecure-api-key.nope'] })
    expect(subprotocol.ok).toBe(false)
    expect(rig.up.handshakes).toEqual([])
  })

  test('a session injects the pool key, relays text and binary frames both ways and passes the client close on', async () => {
    await using rig = await wsRig(['sk-good-1'])
    const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: { ...auth, 'openai-beta': 'realtime=v1' } })
    // sent by the upstream at once, before the client's side of the proxy had finished opening
    expect(JSON.parse(text(await s.next()))).toMatchObject({ type: 'session.created' })
    s.ws.send('{"type":"input_text","text":"hello"}')
    expect(await s.next()).toEqual({ kind: 'text', text: '{"type":"input_text","text":"hello"}' })
    const audio = new Uint8Array([0, 1, 2, 250, 255])
    s.ws.send(audio)
    expect(await s.next()).toEqual({ kind: 'binary', bytes: audio })

    const hs = rig.up.handshakes[0]!
    expect(hs).toMatchObject({ path: '/v1/realtime', key: 'sk-good-1', status: 101, query: { model: 'gpt-realtime' } })
    expect(hs.headers['openai-beta']).toBe('realtime=v1')
    expect(JSON.stringify(hs.headers)).not.toContain(PROXY_KEY)
    expect(rig.up.frames.map((f) => f.kind)).toEqual(['text', 'binary'])

    s.ws.close(4000, 'client done')
    await rig.up.waitFor((u) => u.closes.length === 1)
    expect(rig.up.closes).toEqual([{ code: 4000, reason: 'client done' }])
    expect(await s.closed).toEqual({ code: 4000, reason: 'client done' })
  })

  test("OpenAI's browser form: the proxy key as a subprotocol, stripped before the upstream, the chosen protocol answered", async () => {
    await using rig = await wsRig(['sk-good-1'])
    const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, {
      protocols: ['realtime', `openai-insecure-api-key.${PROXY_KEY}`, 'openai-beta.realtime-v1'],
    })
    expect(s.ws.protocol).toBe('realtime')
    expect(rig.up.handshakes[0]).toMatchObject({ key: 'sk-good-1', protocols: ['realtime', 'openai-beta.realtime-v1'] })
    s.ws.close()
    await s.closed
  })

  test('an upstream close code and reason reach the client, and the session row is written once', async () => {
    await using rig = await wsRig(['sk-good-1'])
    const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: auth })
    await s.next()
    s.ws.send(JSON.stringify({ type: 'fake.close', code: 4321, reason: 'session expired' }))
    expect(await s.closed).toEqual({ code: 4321, reason: 'session expired' })
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the session row')
    expect((await logsOf(rig.app))[0]).toMatchObject({ status_code: 101, is_success: true, path: '/v1/realtime', model: 'gpt-realtime' })
  })

  test('a refused handshake (401) rotates to the next key and counts against the refused key as HTTP does', async () => {
    await using rig = await wsRig(['sk-bad-1', 'sk-good-2'], { config: { blacklist_threshold: 1 } })
    // Round-robin: of two sessions, one starts on each key, so the bad key is tried first once.
    for (let i = 0; i < 2; i++) {
      const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: auth })
      expect(JSON.parse(text(await s.next()))).toMatchObject({ type: 'session.created' })
      s.ws.close(1000)
      await s.closed
    }
    expect(rig.up.handshakes.map((h) => [h.key, h.status])).toEqual(
      expect.arrayContaining([
        ['sk-bad-1', 401],
        ['sk-good-2', 101],
      ]),
    )
    expect(rig.up.handshakes.filter((h) => h.key === 'sk-bad-1')).toHaveLength(1)
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.groupId))['sk-bad-1']).toEqual({ status: 'invalid', failures: 1 })
    await waitFor(async () => (await logsOf(rig.app)).filter((r) => r.request_type === 'final').length === 2, 5000, 'two session rows')
    const rows = await logsOf(rig.app)
    expect(rows.find((r) => r.request_type === 'retry')).toMatchObject({ status_code: 401, is_success: false })
    expect(rows.find((r) => r.request_type === 'final' && r.retries === 1)).toMatchObject({ status_code: 101, attempt: 2 })
  })

  test('a 429 handshake cools the key and moves on; every key refused answers the last refusal, no pool key in it', async () => {
    await using rig = await wsRig(['sk-429-a', 'sk-bad-b'], { config: { max_retries: 3, blacklist_threshold: 5 } })
    const raw = await rawHandshake(`${rig.app.url}/proxy/rt/v1/realtime?model=gpt-realtime`, auth)
    expect([401, 429]).toContain(raw.status)
    expect(raw.body).not.toContain('sk-429-a')
    expect(raw.body).not.toContain('sk-bad-b')
    expect(JSON.parse(raw.body).error.message).toContain('refused the WebSocket handshake')
    expect(rig.up.handshakes.map((h) => h.key).sort()).toEqual(['sk-429-a', 'sk-bad-b'])
    await rig.app.deps.pool.flush()
    const states = await keyStates(rig.app.deps, rig.groupId)
    expect(states['sk-429-a']!.status).toBe('cooling')
    expect(states['sk-bad-b']).toEqual({ status: 'active', failures: 1 })
    const rows = await logsOf(rig.app)
    expect(JSON.stringify(rows)).not.toContain('sk-429-a')
    expect(rows.find((r) => r.request_type === 'final')).toMatchObject({ status_code: raw.status, is_success: false })
  })

  test('the log row carries the duration and the usage summed over OpenAI Realtime response.done events', async () => {
    let now = 1_800_000_000_000
    await using rig = await wsRig(['sk-good-1'], {}, { now: () => now })
    const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: auth })
    await s.next()
    s.ws.send(JSON.stringify({ type: 'fake.usage', shape: 'realtime', input: 100, output: 20 }))
    expect(JSON.parse(text(await s.next()))).toMatchObject({ type: 'response.done', response: { usage: { input_tokens: 100 } } })
    s.ws.send(JSON.stringify({ type: 'fake.usage', shape: 'realtime', input: 150, output: 30 }))
    await s.next()
    now += 4321
    s.ws.close(1000, 'bye')
    await s.closed
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the session row')
    expect((await logsOf(rig.app))[0]).toMatchObject({
      status_code: 101,
      is_success: true,
      is_stream: true,
      duration_ms: 4321,
      model: 'gpt-realtime',
      prompt_tokens: 250,
      completion_tokens: 50,
      total_tokens: 300,
      key_masked: expect.not.stringContaining('sk-good-1'),
    })
  })

  test('Responses WebSocket mode: usage from response.completed, model from the answer', async () => {
    await using rig = await wsRig(['sk-good-1'], { channel_type: 'openai-response' })
    const s = await openOrThrow(`${rig.base}/v1/responses`, { headers: auth })
    await s.next()
    s.ws.send(JSON.stringify({ type: 'fake.usage', shape: 'responses', input: 7, output: 5 }))
    expect(JSON.parse(text(await s.next()))).toMatchObject({ type: 'response.completed' })
    s.ws.close()
    await s.closed
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the session row')
    expect((await logsOf(rig.app))[0]).toMatchObject({ model: 'gpt-fake-ws', prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 })
  })

  test('Gemini Live: ?key= proxy key swapped for the pool key, usageMetadata in binary frames summed, model from setup', async () => {
    await using rig = await wsRig(['AIza-good-1'], { name: 'gem', channel_type: 'gemini' })
    const path = '/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent'
    const s = await openOrThrow(`${rig.base}${path}?key=${PROXY_KEY}`)
    await s.next()
    s.ws.send(JSON.stringify({ setup: { model: 'models/gemini-live-2.5-flash' } }))
    await s.next()
    for (const [input, output] of [
      [10, 3],
      [12, 4],
    ]) {
      s.ws.send(JSON.stringify({ type: 'fake.usage', shape: 'gemini', input, output }))
      const frame = await s.next()
      expect(frame.kind).toBe('binary')
    }
    s.ws.close()
    await s.closed
    expect(rig.up.handshakes[0]).toMatchObject({ path, key: 'AIza-good-1', query: { key: 'AIza-good-1' } })
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the session row')
    const row = (await logsOf(rig.app))[0]!
    expect(row).toMatchObject({ model: 'gemini-live-2.5-flash', prompt_tokens: 22, completion_tokens: 7, total_tokens: 29 })
    expect(JSON.stringify(row)).not.toContain('AIza-good-1')
  })

  test('nothing the client sees carries the pool key', async () => {
    await using rig = await wsRig(['sk-secret-pool-key-1'])
    const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: auth })
    const raw = await rawHandshake(`${rig.app.url}/proxy/rt/v1/realtime?model=gpt-realtime`, auth)
    expect(raw.status).toBe(101)
    expect(JSON.stringify(raw.headers)).not.toContain('sk-secret-pool-key-1')
    s.ws.send(JSON.stringify({ type: 'fake.usage', shape: 'realtime', input: 1, output: 1 }))
    await s.next()
    await s.next()
    s.ws.close()
    await s.closed
    for (const r of s.received) expect(text(r)).not.toContain('sk-secret-pool-key-1')
  })

  test('an error event quoting the pool key reaches the client masked', async () => {
    await using rig = await wsRig(['sk-secret-pool-key-2'])
    const s = await openOrThrow(`${rig.base}/v1/realtime?model=gpt-realtime`, { headers: auth })
    await s.next()
    s.ws.send('{"type":"fake.quote-key"}')
    const event = JSON.parse(text(await s.next()))
    expect(event.type).toBe('error')
    expect(event.error.message).toStartWith('Incorrect API key provided: sk-s')
    expect(event.error.message).not.toContain('sk-secret-pool-key-2')
    s.ws.close()
    await s.closed
  })

  test('Gemini Live closing a session with "API key expired" (1007): the client sees the close, the key is counted', async () => {
    await using rig = await wsRig(['expired-gem-1'], { name: 'gem', channel_type: 'gemini', config: { blacklist_threshold: 1 } })
    const path = '/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent'
    const s = await openOrThrow(`${rig.base}${path}`, { headers: { 'x-goog-api-key': PROXY_KEY } })
    await s.next()
    s.ws.send(JSON.stringify({ setup: { model: 'models/gemini-live-2.5-flash' } }))
    expect(await s.closed).toEqual({ code: 1007, reason: 'API key expired. Please renew the API key.' })
    expect(rig.up.handshakes[0]!.headers['x-goog-api-key']).toBe('expired-gem-1')
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the session row')
    expect((await logsOf(rig.app))[0]).toMatchObject({
      status_code: 101,
      is_success: false,
      error_message: 'upstream closed 1007: API key expired. Please renew the API key.',
    })
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.groupId))['expired-gem-1']).toEqual({ status: 'invalid', failures: 1 })
  })

  test('stopping the server closes open sessions with 1001 on both sides instead of waiting, and logs them', async () => {
    const up = await startFakeWsUpstream()
    // a file database, read again after the stop: the session row is flushed by the shutdown itself
    const dataDir = mkdtempSync(join(tmpdir(), 'keypool-ws-stop-'))
    const dbFile = join(dataDir, 'keypool.db')
    const app = await createTestApp({ dataDir, env: { DATABASE_DSN: dbFile } })
    try {
      await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }] }, ['sk-good-1'])
      const s = await openOrThrow(`${app.url.replace(/^http/, 'ws')}/proxy/rt/v1/realtime?model=m`, { headers: auth })
      await s.next()
      await app.stop()
      expect((await s.closed).code).toBe(1001)
      await up.waitFor((u) => u.closes.length === 1)
      expect(up.closes[0]!.code).toBe(1001)
      const db = new Database(dbFile, { readonly: true })
      const rows = db.query('SELECT status_code, is_success, error_message FROM request_logs').all()
      db.close()
      expect(rows).toEqual([{ status_code: 101, is_success: 1, error_message: 'closed by server shutdown' }])
    } finally {
      await app.stop()
      await up.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
