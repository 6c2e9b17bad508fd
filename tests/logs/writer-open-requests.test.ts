import { afterEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RequestLog } from '../../db/types'
import { openStore } from '../../db/open'
import { LogWriter, type OpenRequest } from '../../server/logs/writer'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function writerOnSqlite() {
  const dataDir = mkdtempSync(join(tmpdir(), 'keypool-writer-'))
  dirs.push(dataDir)
  const store = await openStore({ dsn: ':memory:', dataDir })
  return { store, logs: new LogWriter(store, () => 60_000) }
}

const row = (path: string, status: number, error: string): RequestLog => ({
  timestamp: 1_700_000_000_000, group_id: null, group_name: 'g', key_id: null, key_hash: '', key_masked: '', model: '',
  method: 'POST', path, status_code: status, is_success: status === 200, duration_ms: 1, ttfb_ms: null, is_stream: true,
  attempt: 1, retries: 0, upstream: '', source_ip: '', user_agent: '', error_message: error, prompt_tokens: 0,
  completion_tokens: 0, total_tokens: 0, request_body: null, request_type: 'final', protocol_in: '', protocol_out: '',
  access_key_id: null, cost_micros: 0, priced: false, cached_tokens: 0, cache_write_tokens: 0, tier: 0, cache_hit: false,
})

/** An open request as the proxy's record behaves: one row when it ends, however it ends. */
function openRequest(logs: LogWriter, path: string) {
  let done = false
  const r: OpenRequest & { end(): void } = {
    interrupt: () => finish(503, 'interrupted by shutdown'),
    end: () => finish(200, ''),
  }
  const finish = (status: number, error: string) => {
    if (done) return
    done = true
    logs.untrack(r)
    logs.push(row(path, status, error))
  }
  logs.track(r)
  return r
}

test('close() writes the requests still open as interrupted, once, beside the ones that ended', async () => {
  const { store, logs } = await writerOnSqlite()
  openRequest(logs, '/ended').end()
  const cut = openRequest(logs, '/open')
  await logs.close()
  cut.end() // the cut stream ending later adds nothing
  const page = await store.queryLogs({ page: 1, page_size: 10 })
  expect(page.items.map((r) => [r.path, r.status_code, r.error_message]).sort()).toEqual([
    ['/ended', 200, ''],
    ['/open', 503, 'interrupted by shutdown'],
  ])
  await store.close()
})

test('interruptOpen() says how many it cut; a request that ended is not cut', async () => {
  const { store, logs } = await writerOnSqlite()
  openRequest(logs, '/a').end()
  openRequest(logs, '/b')
  openRequest(logs, '/c')
  expect(logs.interruptOpen()).toBe(2)
  expect(logs.interruptOpen()).toBe(0)
  await logs.close()
  await store.close()
})
