/** `?key=<admin key>` on the two export links, as GPT-Load's web admin downloads them, and nowhere else. */
import { describe, expect, test } from 'bun:test'
import { createTestApp, data, json, makeGroup, TEST_AUTH_KEY } from './support'

describe('download links with ?key=', () => {
  test('the key and log exports accept the admin key in the query', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-export-aaaaaaaaaaaaaaaa' })))
    const keys = await fetch(`${app.url}/api/keys/export?group_id=${g.id}&key=${encodeURIComponent(TEST_AUTH_KEY)}`)
    expect({ status: keys.status, body: await keys.text() }).toEqual({ status: 200, body: 'sk-export-aaaaaaaaaaaaaaaa\n' })
    const logs = await fetch(`${app.url}/api/logs/export?key=${encodeURIComponent(TEST_AUTH_KEY)}`)
    expect(logs.status).toBe(200)
    expect(logs.headers.get('content-type')).toContain('text/csv')
    expect((await logs.text()).split('\r\n')[0]).toStartWith('id,timestamp,')
  })

  test('a wrong or empty ?key= is a 401 and the export is not sent', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-export-aaaaaaaaaaaaaaaa' })))
    for (const q of [`group_id=${g.id}&key=wrong-key`, `group_id=${g.id}&key=`, `group_id=${g.id}`]) {
      const res = await fetch(`${app.url}/api/keys/export?${q}`)
      const body = await res.text()
      expect({ q, status: res.status }).toEqual({ q, status: 401 })
      expect(body).not.toContain('sk-export')
    }
    expect((await fetch(`${app.url}/api/logs/export?key=wrong-key`)).status).toBe(401)
  })

  test('every other route refuses ?key=', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const key = encodeURIComponent(TEST_AUTH_KEY)
    const tries: [string, string, string?][] = [
      ['GET', `/api/keys?group_id=${g.id}&key=${key}`],
      ['GET', `/api/groups?key=${key}`],
      ['GET', `/api/logs?key=${key}`],
      ['GET', `/api/settings?key=${key}`],
      ['GET', `/api/dashboard/stats?key=${key}`],
      ['GET', `/api/openapi.json?key=${key}`],
      ['POST', `/api/keys/add-multiple?key=${key}`, JSON.stringify({ group_id: g.id, keys_text: 'sk-sneaky-aaaaaaaaaaaaaaaa' })],
      ['DELETE', `/api/groups/${g.id}?key=${key}`],
    ]
    for (const [method, path, body] of tries) {
      const res = await fetch(app.url + path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} })
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 })
    }
    expect(await app.deps.store.getGroup(g.id)).not.toBeNull()
    expect(await app.deps.store.groupKeys(g.id)).toEqual([])
  })
})
