import { describe, expect, test } from 'bun:test'
import { publicBaseUrl, requestOrigin } from '../../server/admin/public-url'
import type { GroupView } from '../../server/admin/schemas'
import { createTestApp, data, json, makeGroup } from './support'

const endpoints = (groups: GroupView[]) => groups.map((g) => g.endpoint)

describe('group endpoint base URL', () => {
  test('app_url unset: the endpoint carries the port the admin request came to', async () => {
    await using app = await createTestApp()
    const port = new URL(app.url).port
    expect(port).not.toBe('3001')
    const g = await makeGroup(app, { name: 'ports' })
    expect(g.endpoint).toBe(`http://127.0.0.1:${port}/proxy/ports`)
    expect(endpoints(await data(app.api('/api/groups')))).toEqual([`http://127.0.0.1:${port}/proxy/ports`])
    const copy = await data<{ group: GroupView }>(app.api(`/api/groups/${g.id}/copy`, json('POST', { copy_keys: 'none' })))
    expect(copy.group.endpoint).toBe(`http://127.0.0.1:${port}/proxy/ports_copy`)
  })

  test('app_url unset: a reverse proxy’s X-Forwarded-Proto / X-Forwarded-Host win over the request origin', async () => {
    await using app = await createTestApp()
    await makeGroup(app, { name: 'fwd' })
    const via = (headers: Record<string, string>) => app.api('/api/groups', { headers }).then((r) => data<GroupView[]>(r))
    const port = new URL(app.url).port
    expect(endpoints(await via({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'keys.example.com' }))).toEqual([
      'https://keys.example.com/proxy/fwd',
    ])
    // the first hop of a chain is the one the client used
    expect(endpoints(await via({ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'a.example:8443, b.internal' }))).toEqual([
      'https://a.example:8443/proxy/fwd',
    ])
    expect(endpoints(await via({ 'x-forwarded-proto': 'https' }))).toEqual([`https://127.0.0.1:${port}/proxy/fwd`])
    // a header that is not a host (or a scheme we do not serve) is ignored rather than echoed into a URL
    expect(endpoints(await via({ 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.test/<x>' }))).toEqual([
      `http://127.0.0.1:${port}/proxy/fwd`,
    ])
  })

  test('an app_url the operator set wins over the request and its forwarded headers', async () => {
    await using app = await createTestApp()
    await data(app.api('/api/settings', json('PUT', { app_url: 'https://gw.example.org/' })))
    const g = await makeGroup(app, { name: 'set' })
    expect(g.endpoint).toBe('https://gw.example.org/proxy/set')
    const list = await data<GroupView[]>(app.api('/api/groups', { headers: { 'x-forwarded-host': 'other.example' } }))
    expect(endpoints(list)).toEqual(['https://gw.example.org/proxy/set'])
    // back to the default value: the request decides again
    await data(app.api('/api/settings', json('PUT', { app_url: 'http://localhost:3001' })))
    expect(endpoints(await data(app.api('/api/groups')))).toEqual([`${app.url}/proxy/set`])
  })

  test('publicBaseUrl / requestOrigin on plain requests', () => {
    const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers })
    expect(publicBaseUrl('', req('http://10.0.0.5:8080/api/groups'))).toBe('http://10.0.0.5:8080')
    expect(publicBaseUrl('  ', req('https://h.test/api/groups'))).toBe('https://h.test')
    expect(publicBaseUrl('http://localhost:3001', req('http://h.test:9/api'))).toBe('http://h.test:9')
    expect(publicBaseUrl('http://localhost:3002//', req('http://h.test:9/api'))).toBe('http://localhost:3002')
    expect(requestOrigin(req('http://h.test/api', { 'x-forwarded-host': '[::1]:8443', 'x-forwarded-proto': 'HTTPS' }))).toBe(
      'https://[::1]:8443',
    )
  })
})
