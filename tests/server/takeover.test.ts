/**
 * A restart with no failed request: process A serves a port with REUSE_PORT=true, process B binds the same port,
 * A gets SIGTERM while a bounded load (plain answers and SSE streams mixed) runs, and not one request fails:
 * through a real nginx with upstream keep-alive (its default proxy_next_upstream), and with keep-alive clients
 * straight on the port.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { freePort, spawnNode, type SpawnedNode } from '../support/spawn-node'
import { nginxAvailable, startNginx } from '../support/nginx'

const TOTAL = 2000
const CONCURRENCY = 20
const AUTH = 'takeover-test-key-123'
/** B starts once this many requests completed (all of them on A: nothing else listens yet) */
const B_AT = 200
/** requests past these wait until B is listening / A has exited, so each phase happens under load */
const GATE_B_READY = 1000
const GATE_A_EXITED = 1700
/** A gets SIGTERM once this many more requests completed after B was listening */
const TERM_AFTER_B = 200

let upstream: FakeUpstream
let dir: string

beforeAll(async () => {
  upstream = await startFakeUpstream()
  dir = mkdtempSync(join(tmpdir(), 'keypool-takeover-'))
  writeFileSync(join(dir, 'keys.txt'), Array.from({ length: 10 }, (_, i) => `sk-good-${i}`).join('\n'))
})

afterAll(async () => {
  await upstream.stop()
  rmSync(dir, { recursive: true, force: true })
})

function nodeEnvFor(port: number, logLevel: string): Record<string, string> {
  return {
    PORT: String(port),
    REUSE_PORT: 'true',
    DATA_DIR: dir,
    AUTH_KEY: AUTH,
    KEYS_FILE: join(dir, 'keys.txt'),
    OPENAI_BASE_URL: upstream.url,
    SERVER_GRACEFUL_SHUTDOWN_TIMEOUT: '20',
    LOG_LEVEL: logLevel,
  }
}

/** Resolves once `cond()` holds, checked every few milliseconds. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await Bun.sleep(5)
}

interface Phase {
  /** B was spawned: from here on a request may land on either process */
  bStarted: boolean
  bListening: boolean
  aExited: boolean
}

/** One request: odd ones stream (complete only with `[DONE]`), even ones are plain JSON answers. */
async function oneRequest(url: string, i: number): Promise<string | null> {
  const stream = i % 2 === 1
  const body = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `hello ${i}` }],
    stream,
    fake_delay_ms: 10,
    fake_chunks: 4,
    fake_chunk_delay_ms: 10,
  }
  try {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    if (res.status !== 200) return `#${i} ${res.status} ${text.slice(0, 200)}`
    if (stream) return text.includes('data: [DONE]') ? null : `#${i} stream cut: ${text.slice(-200)}`
    const json = JSON.parse(text) as { choices?: unknown[] }
    return Array.isArray(json.choices) && json.choices.length > 0 ? null : `#${i} no choices: ${text.slice(0, 200)}`
  } catch (err) {
    return `#${i} ${String(err)}`
  }
}

/** The takeover under load against `url` (nginx or the port itself); returns the failures and who served what. */
async function takeoverUnderLoad(url: string, port: number, a: SpawnedNode) {
  const phase: Phase = { bStarted: false, bListening: false, aExited: false }
  let next = 0
  let done = 0
  let doneOnA = 0
  let doneOnBOnly = 0
  const failures: string[] = []
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= TOTAL) return
      if (i >= GATE_B_READY) await until(() => phase.bListening)
      if (i >= GATE_A_EXITED) await until(() => phase.aExited)
      const onlyA = !phase.bStarted
      const onlyB = phase.aExited
      const failure = await oneRequest(url, i)
      if (failure) failures.push(failure)
      done++
      if (onlyA && !phase.bStarted) doneOnA++
      if (onlyB) doneOnBOnly++
    }
  }
  const load = Promise.all(Array.from({ length: CONCURRENCY }, worker))
  await until(() => done >= B_AT)
  phase.bStarted = true
  const b = await spawnNode(nodeEnvFor(port, 'info'), [], { readyOutput: /keypool listening on/ })
  try {
    phase.bListening = true
    const termAt = done + TERM_AFTER_B
    await until(() => done >= termAt)
    const code = await a.stop('SIGTERM')
    phase.aExited = true
    await load
    expect(await b.stop()).toBe(0)
    return { failures, done, doneOnA, doneOnBOnly, aExit: code, aOutput: a.output() }
  } finally {
    await b[Symbol.asyncDispose]()
  }
}

/** No request failed, all were answered, A exited cleanly; A alone served the first ones, B alone the last ones. */
function expectCleanTakeover(r: Awaited<ReturnType<typeof takeoverUnderLoad>>): void {
  expect(r.failures).toEqual([])
  expect(r.done).toBe(TOTAL)
  expect(r.aExit).toBe(0)
  expect(r.doneOnA).toBeGreaterThanOrEqual(B_AT)
  expect(r.doneOnBOnly).toBeGreaterThanOrEqual(TOTAL - GATE_A_EXITED)
}

test.if(nginxAvailable())(
  'through nginx: B takes the port over while A drains, and no request fails',
  async () => {
    const port = await freePort()
    await using a = await spawnNode(nodeEnvFor(port, 'warn'))
    await using nginx = await startNginx(`http://127.0.0.1:${port}`, { keepalive: 16 })
    const r = await takeoverUnderLoad(nginx.url, port, a)
    expectCleanTakeover(r)
  },
  120_000,
)

test(
  'keep-alive clients straight on the port: B takes it over while A drains, and no request fails',
  async () => {
    const port = await freePort()
    await using a = await spawnNode(nodeEnvFor(port, 'warn'))
    const r = await takeoverUnderLoad(`http://127.0.0.1:${port}`, port, a)
    expectCleanTakeover(r)
  },
  120_000,
)

test('without REUSE_PORT a second node on the same port fails loudly', async () => {
  const port = await freePort()
  await using a = await spawnNode({ ...nodeEnvFor(port, 'warn'), REUSE_PORT: 'false' })
  const err = await spawnNode({ ...nodeEnvFor(port, 'warn'), REUSE_PORT: 'false' }, [], { readyOutput: /keypool listening on/ }).then(
    () => null,
    (e: unknown) => String(e),
  )
  expect(err).toMatch(/node exited with [1-9]/)
  expect(err).toMatch(/EADDRINUSE|in use/i)
  expect(a.proc.exitCode).toBeNull()
})
