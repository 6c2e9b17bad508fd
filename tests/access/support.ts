/** Access-key test helpers: create one through the admin API of a real app and call the proxy with it. */
import type { TestApp } from '../support/test-app'

export interface CreatedKey {
  id: number
  key: string
  [field: string]: unknown
}

export async function createAccessKey(app: Pick<TestApp, 'api'>, fields: Record<string, unknown>): Promise<CreatedKey> {
  const res = await app.api('/api/access-keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) })
  const body = (await res.json()) as { data: CreatedKey; message: string }
  if (res.status !== 200) throw new Error(`create access key: ${res.status} ${body.message}`)
  return body.data
}

export async function putJson(app: Pick<TestApp, 'api'>, path: string, fields: Record<string, unknown>, method = 'PUT') {
  const res = await app.api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) })
  return { status: res.status, body: (await res.json()) as { code: unknown; message: string; data: Record<string, unknown> } }
}

export function chatWith(base: string, key: string, body: Record<string, unknown> = {}, init: RequestInit = {}) {
  return fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
  })
}
