/**
 * Malformed URLs and unexpected failures, against a real `bun server/main.ts` process: never Bun's development
 * error page (it shows the cwd, file paths and source lines), always a small JSON answer in the surface's shape.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SERVE_ERROR_OPTIONS } from '../../server/shared/error-handling'
import { spawnNode, type SpawnedNode } from '../support/spawn-node'

const KEY = 'error-pages-admin-key-0123456789abcdef'
const dir = mkdtempSync(join(tmpdir(), 'keypool-errpages-'))
let node: SpawnedNode

beforeAll(async () => {
  node = await spawnNode({ DATA_DIR: join(dir, 'data'), AUTH_KEY: KEY })
})
afterAll(async () => {
  await node?.[Symbol.asyncDispose]()
  rmSync(dir, { recursive: true, force: true })
})

async function probe(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(node.url + path, { headers })
  const text = await res.text()
  expect(text).not.toContain('<html')
  expect(text).not.toContain(process.cwd())
  expect(text.length).toBeLessThan(500)
  return { status: res.status, type: res.headers.get('content-type')?.split(';')[0], body: JSON.parse(text) as unknown }
}

test('bad percent-encoding of the group name: 400 in the channel native JSON', async () => {
  expect(await probe('/proxy/%/x')).toEqual({
    status: 400,
    type: 'application/json',
    body: { error: { message: 'malformed percent-encoding in the group name', type: 'invalid_request_error', code: 'invalid_request', param: null } },
  })
  const gemini = await probe('/proxy/a%zz/v1beta/models/gemini-2.0-flash:generateContent')
  expect(gemini).toMatchObject({ status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT' } } })
})

test('bad percent-encoding on /api: 400 in the admin shape (after auth)', async () => {
  const auth = { authorization: `Bearer ${KEY}` }
  expect(await probe('/api/%zz', auth)).toEqual({
    status: 400,
    type: 'application/json',
    body: { code: 'VALIDATION_ERROR', message: 'malformed percent-encoding in the URL' },
  })
  expect(await probe('/api/groups/%/stats', auth)).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } })
})

test('bad percent-encoding elsewhere (the UI): 400 JSON, not a 500', async () => {
  expect(await probe('/%')).toEqual({
    status: 400,
    type: 'application/json',
    body: { code: 'BAD_REQUEST', message: 'malformed percent-encoding in the URL' },
  })
})

test('a handler that throws under the serve options: JSON 500 without the message or any path', async () => {
  using server = Bun.serve({
    ...SERVE_ERROR_OPTIONS,
    port: 0,
    hostname: '127.0.0.1',
    fetch() {
      throw new Error(`failed reading ${import.meta.path}`)
    },
  })
  const res = await fetch(`http://127.0.0.1:${server.port}/x`)
  expect({ status: res.status, body: await res.text() }).toEqual({
    status: 500,
    body: JSON.stringify({ code: 'INTERNAL_ERROR', message: 'internal server error' }),
  })
})
