/**
 * The Linux binary copied alone into an empty directory, run as a user would: it creates its data dir, generates
 * its admin key (0600), serves the proxy, and on SIGTERM during 100 open streams lets every stream finish, flushes
 * the request logs (written by its log worker thread) and exits 0.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { expectOneProcessHolding } from '../support/hold-streams'
import { freePort } from '../support/spawn-node'

const ROOT = join(import.meta.dir, '../..')
const HOST = `${process.platform}-${process.arch}`
let dir = ''
let upstream: FakeUpstream

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-bin-'))
  const out = join(dir, 'build')
  const r = Bun.spawnSync([process.execPath, 'scripts/build.ts', `--target=${HOST}`, '--skip-ui', `--outdir=${out}`], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' })
  if (r.exitCode !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
  copyFileSync(join(out, `keypool-${HOST}`), join(dir, 'keypool'))
  rmSync(out, { recursive: true })
  upstream = await startFakeUpstream()
})
afterAll(async () => {
  await upstream?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('SIGTERM during 100 open streams: all complete, logs flushed, exit 0', async () => {
  writeFileSync(join(dir, 'keys.txt'), 'sk-good-1\nsk-good-2\nsk-good-3\n')
  const port = await freePort()
  // No BUN_CONFIG_MAX_HTTP_REQUESTS: the binary arranges it itself (replaces itself with it set).
  const proc = Bun.spawn([join(dir, 'keypool')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', KEYS_FILE: 'keys.txt', OPENAI_BASE_URL: upstream.url },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break
    if (i > 200 || proc.exitCode !== null) throw new Error(`binary did not start: ${await new Response(proc.stderr).text()}`)
    await Bun.sleep(50)
  }
  const keyFile = join(dir, 'data', 'auth_key')
  expect(statSync(keyFile).mode & 0o777).toBe(0o600)
  const key = (await Bun.file(keyFile).text()).trim()

  const streams = Array.from({ length: 100 }, (_, i) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, fake_chunks: 10, fake_chunk_delay_ms: 60, messages: [{ role: 'user', content: `s${i}` }] }),
    }).then((r) => r.text()),
  )
  await upstream.waitFor((reqs) => reqs.length >= 100)
  proc.kill('SIGTERM')
  const bodies = await Promise.all(streams)
  expect(bodies.filter((b) => b.trimEnd().endsWith('data: [DONE]')).length).toBe(100)
  expect(await proc.exited).toBe(0)
  const db = new Database(join(dir, 'data', 'keypool.db'), { readonly: true })
  const row = db.query('SELECT count(*) AS n, sum(is_success) AS ok FROM request_logs').get() as { n: number; ok: number }
  db.close()
  expect(row).toEqual({ n: 100, ok: 100 })
})

test('one process without BUN_CONFIG_MAX_HTTP_REQUESTS, holding 1,000 streams open at once', async () => {
  writeFileSync(join(dir, 'hang-keys.txt'), Array.from({ length: 20 }, (_, i) => `sk-hang-${i}`).join('\n'))
  const port = await freePort()
  const proc = Bun.spawn([join(dir, 'keypool')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'streams-data', AUTH_KEY: 'binary-streams-key', KEYS_FILE: 'hang-keys.txt', OPENAI_BASE_URL: upstream.url, LOG_LEVEL: 'warn' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  await expectOneProcessHolding('binary', { proc, url: `http://127.0.0.1:${port}`, key: 'binary-streams-key', upstream })
})

// Regression: a minified build renamed the handlers' destructured context (`({ headers })`), which Elysia reads
// from the source, so every admin route answered 500 in the binary while `bun server/main.ts` worked.
test('the admin API works in the binary: login, create a group, add keys, list them', async () => {
  const port = await freePort()
  const proc = Bun.spawn([join(dir, 'keypool')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'admin-data', AUTH_KEY: 'binary-admin-key-1', TRUSTED_PROXIES: '127.0.0.1' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  try {
    const base = `http://127.0.0.1:${port}`
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break
      if (i > 200 || proc.exitCode !== null) throw new Error(`binary did not start: ${await new Response(proc.stderr).text()}`)
      await Bun.sleep(50)
    }
    const headers = { authorization: 'Bearer binary-admin-key-1', 'content-type': 'application/json' }
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(base + path, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
      return { status: res.status, body: (await res.json()) as { code: unknown; data: any } }
    }
    const group = await call('/api/groups', { name: 'bin', channel_type: 'openai', upstreams: [{ url: upstream.url, weight: 1 }] })
    expect(group).toMatchObject({ status: 200, body: { code: 0, data: { name: 'bin' } } })
    const added = await call('/api/keys/add-multiple', { group_id: group.body.data.id, keys_text: 'sk-bin-1,sk-bin-2' })
    expect(added.body).toMatchObject({ code: 0, data: { added_count: 2 } })
    const listed = await call(`/api/keys?group_id=${group.body.data.id}&status=active`)
    expect(listed.body.data.pagination.total_items).toBe(2)
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ auth_key: 'binary-admin-key-1' }) })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    expect((await fetch(`${base}/api/settings`, { headers: { cookie } })).status).toBe(200)
    // The client address survives minification: wrong keys from one forwarded client lock that client only
    // (the key is weak, so the locked client is refused even with the right key), not everyone.
    const as = (client: string, key: string) => fetch(`${base}/api/groups`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': client } }).then((r) => r.status)
    for (let i = 0; i < 5; i++) expect(await as('203.0.113.1', 'wrong-key-0123456789')).toBe(401)
    expect(await as('203.0.113.1', 'binary-admin-key-1')).toBe(429)
    expect(await as('203.0.113.2', 'binary-admin-key-1')).toBe(200)
    // Malformed URLs: never Bun's development error page (cwd, paths, source lines) from the binary either.
    for (const [path, status] of [['/proxy/%/x', 400], ['/%', 400], ['/api/%zz', 401]] as const) {
      const res = await fetch(base + path)
      const text = await res.text()
      expect({ path, status: res.status, html: text.includes('<html'), json: res.headers.get('content-type')?.startsWith('application/json') }).toEqual({ path, status, html: false, json: true })
    }
  } finally {
    proc.kill('SIGTERM')
    await proc.exited
  }
})
