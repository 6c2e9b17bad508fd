/**
 * The process log of a real keypool process: a Gemini client using `?key=` whose upstream resets mid-body. The
 * runtime prints a failed fetch with its URL (which then carries the pool key); nothing unstructured may reach
 * stdout/stderr, and no line may name the pool key.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'bun:test'
import { startHostileUpstream } from '../support/hostile-upstream'
import { spawnNode } from '../support/spawn-node'

const ADMIN = 'process-log-admin-key-0123456789'
const POOL_KEY = 'AIzaPOOLKEY-process-log-0123456789abcdef'

test.each([
  ['reset-mid-body', ':generateContent'],
  ['reset-mid-stream', ':streamGenerateContent'],
] as const)('%s: no pool key and no raw runtime dump in the process output', async (mode, action) => {
  await using hostile = await startHostileUpstream()
  const dir = mkdtempSync(join(tmpdir(), 'keypool-plog-'))
  try {
    await using node = await spawnNode({ DATA_DIR: dir, AUTH_KEY: ADMIN, LOG_LEVEL: 'debug' })
    const api = (path: string, body: unknown) =>
      fetch(`${node.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const created = (await (await api('/api/groups', { name: 'gem', channel_type: 'gemini', upstreams: [{ url: `${hostile.url}/${mode}`, weight: 1 }] })).json()) as { data: { id: number } }
    expect((await api('/api/keys/add-multiple', { group_id: created.data.id, keys_text: POOL_KEY })).status).toBe(200)

    const res = fetch(`${node.url}/proxy/gem/v1beta/models/gemini-2.0-flash${action}?key=${ADMIN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"contents":[{"parts":[{"text":"hi"}]}]}',
    })
    // sized: keypool reads it whole, so the client gets a 502; streamed: the stream is relayed as it comes, so the
    // client sees its connection cut (before or after the status line, as the reset falls)
    const status = await res.then(async (r) => (await r.text().catch(() => ''), r.status), () => 'cut')
    expect(status).toEqual(mode === 'reset-mid-body' ? 502 : expect.anything())
    expect(hostile.lastKey()).toBe(POOL_KEY)
    expect(await node.stop()).toBe(0)

    const out = node.output()
    expect(out).not.toContain(POOL_KEY)
    const lines = out.split('\n').filter((l) => l.trim() !== '')
    // every line is one of the logger's: `2026-…Z LEVEL message …`
    const unstructured = lines.filter((l) => !/^\d{4}-\d\d-\d\dT[\d:.]+Z (DEBUG|INFO |WARN |ERROR) /.test(l))
    expect(unstructured).toEqual([])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
