/**
 * SIGTERM with 50 streams that outlive SERVER_GRACEFUL_SHUTDOWN_TIMEOUT: the process still writes a request-log
 * row for each request it cut (interrupted by shutdown), flushes them to the SQLite file and exits 1.
 */
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { spawnNode } from '../support/spawn-node'

const STREAMS = 50

test(`requests cut when the shutdown grace runs out are logged as interrupted (${STREAMS} streams)`, async () => {
  await using upstream = await startFakeUpstream()
  const dir = mkdtempSync(join(tmpdir(), 'keypool-interrupted-'))
  try {
    writeFileSync(join(dir, 'keys.txt'), Array.from({ length: 5 }, (_, i) => `sk-hang-${i}`).join('\n'))
    const node = await spawnNode({
      DATA_DIR: dir,
      AUTH_KEY: 'interrupt-test-key',
      KEYS_FILE: join(dir, 'keys.txt'),
      OPENAI_BASE_URL: upstream.url,
      SERVER_GRACEFUL_SHUTDOWN_TIMEOUT: '1',
    })
    // sk-hang-*: the upstream sends the first event, then nothing until the client leaves
    const streams = Array.from({ length: STREAMS }, (_, i) =>
      fetch(`${node.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer interrupt-test-key', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: `s${i}` }] }),
      }).then((r) => r.text()).catch(() => 'cut'),
    )
    await upstream.waitFor((reqs) => reqs.length >= STREAMS)
    expect(await node.stop('SIGTERM')).toBe(1)
    await Promise.all(streams)
    expect(node.output()).toContain('graceful shutdown timed out')

    const db = new Database(join(dir, 'keypool.db'), { readonly: true })
    const rows = db.query('SELECT status_code, is_success, error_message, request_type, is_stream FROM request_logs').all()
    db.close()
    expect(rows.length).toBe(STREAMS)
    expect(new Set(rows.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ status_code: 503, is_success: 0, error_message: 'interrupted by shutdown', request_type: 'final', is_stream: 1 })]),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
