/**
 * Hostile upstream bodies (issue: unbounded reads and inflation). An error body is read only as far as a small
 * window and inflated under a budget; a compressed success answer passes through byte-exact while its usage read is
 * capped. Each case ends with a bounded answer and a server that still answers /health.
 */
import zlib from 'node:zlib'
import { describe, expect, test } from 'bun:test'
import type { NewGroup } from '../../db/types'
import { bombBody, startHostileUpstream, type HostileMode } from '../support/hostile-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'

const MiB = 1 << 20

/** What a client that inflates the answer would hold, refused past 1 MiB (so a bomb cannot hurt the test). */
function plainLength(bytes: Uint8Array, encoding: string | null): number {
  const opts = { maxOutputLength: MiB }
  if (encoding === 'gzip') return zlib.gunzipSync(bytes, opts).length
  if (encoding === 'br') return zlib.brotliDecompressSync(bytes, opts).length
  expect(encoding).toBeNull()
  return bytes.length
}

async function rig(mode: HostileMode, fields: Partial<NewGroup> = {}) {
  const hostile = await startHostileUpstream()
  const app = await createTestApp()
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  await seedGroup(app.deps, { name: 'h', upstreams: [{ url: `${hostile.url}/${mode}`, weight: 1 }], config: { max_retries: 0 }, ...fields }, ['sk-hostile-0123456789abcdef'])
  return {
    hostile,
    app,
    async [Symbol.asyncDispose]() {
      await app.stop()
      hostile.stop()
    },
  }
}

function chat(app: TestApp): Promise<Response> {
  return fetch(`${app.url}/proxy/h/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json', 'accept-encoding': 'gzip, br' },
    body: '{"model":"m","messages":[]}',
    decompress: false,
  } as RequestInit)
}

async function lastLog(app: TestApp) {
  await app.deps.logs.flush()
  const page = await app.deps.store.queryLogs({ page: 1, page_size: 10 })
  return page.items[0]!
}

async function healthy(app: TestApp): Promise<number> {
  return (await fetch(`${app.url}/health`)).status
}

describe('error bodies are read within a window', () => {
  test('an endless 400 body: a bounded answer, the upstream is cut off', async () => {
    await using r = await rig('endless-error')
    const res = await chat(r.app)
    expect(res.status).toBe(400)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(plainLength(bytes, res.headers.get('content-encoding'))).toBeLessThanOrEqual(MiB)
    const sent = await r.hostile.ended('endless-error')
    expect(sent.finished).toBe(false)
    expect(await healthy(r.app)).toBe(200)
    const row = await lastLog(r.app)
    expect({ status: row.status_code, success: row.is_success }).toEqual({ status: 400, success: false })
  })

  test.each(['gzip-bomb-error', 'br-bomb-error'] as const)('%s: inflated under a budget, a bounded answer', async (mode) => {
    await using r = await rig(mode)
    const res = await chat(r.app)
    expect(res.status).toBe(400)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(plainLength(bytes, res.headers.get('content-encoding'))).toBeLessThanOrEqual(MiB)
    expect(await healthy(r.app)).toBe(200)
    const row = await lastLog(r.app)
    expect(row.status_code).toBe(400)
    expect(row.error_message).toContain('bomb')
  })
})

describe('compressed successful answers', () => {
  test.each(['gzip-bomb-ok', 'br-bomb-ok'] as const)('%s: passes byte-exact, usage past the cap is skipped', async (mode) => {
    await using r = await rig(mode)
    const res = await chat(r.app)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe(mode.startsWith('gzip') ? 'gzip' : 'br')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(await bombBody(mode))
    expect(await healthy(r.app)).toBe(200)
    const row = await lastLog(r.app)
    expect({ status: row.status_code, success: row.is_success, tokens: row.total_tokens }).toEqual({ status: 200, success: true, tokens: 0 })
  })
})

describe('model lists keypool filters itself', () => {
  test('an endless list is cut off: a bounded 502, the server answers', async () => {
    await using r = await rig('endless-ok', { model_redirect_rules: { 'my-fast': 'gpt-4o-mini' } })
    const res = await fetch(`${r.app.url}/proxy/h/v1/models`, { headers: { authorization: `Bearer ${TEST_AUTH_KEY}` } })
    expect(res.status).toBe(502)
    expect((await res.text()).length).toBeLessThanOrEqual(MiB)
    expect((await r.hostile.ended('endless-ok')).finished).toBe(false)
    expect(await healthy(r.app)).toBe(200)
  })
})
