/** Helpers for admin API tests over the lead's real test app (tests/support/test-app.ts). */
import { expect } from 'bun:test'
import type { GroupView } from '../../server/admin/schemas'
import type { TestApp } from '../support/test-app'

export { createTestApp, TEST_AUTH_KEY, waitFor } from '../support/test-app'

/** Parse a success envelope, failing the test with the body when it is not one. */
export async function data<T = any>(res: Response | Promise<Response>): Promise<T> {
  const r = await res
  const body = (await r.json()) as { code: unknown; message: string; data: T }
  if (r.status !== 200 || body.code !== 0) throw new Error(`expected success, got ${r.status} ${JSON.stringify(body)}`)
  expect(body.message).toBe('Success')
  return body.data
}

/** Assert an error envelope: status, code, and a message containing `contains`. */
export async function expectError(res: Response | Promise<Response>, status: number, code: string, contains?: string) {
  const r = await res
  const body = (await r.json()) as { code: string; message: string }
  expect({ status: r.status, code: body.code }).toEqual({ status, code })
  if (contains !== undefined) expect(body.message).toContain(contains)
  return body
}

export const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) })

export async function makeGroup(app: TestApp, fields: Record<string, unknown> = {}, upstream = 'https://api.example.test') {
  return data<GroupView>(
    app.api('/api/groups', json('POST', { name: `g${Math.random().toString(36).slice(2, 8)}`, channel_type: 'openai', upstreams: [{ url: upstream, weight: 1 }], ...fields })),
  )
}
