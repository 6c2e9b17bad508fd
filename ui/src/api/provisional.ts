/** Placeholder calls for the access-key routes until the server branch is merged (then they go through Eden). */
import type { AccessKeyInput, AccessKeyUsage, AccessKeyView } from '../pages/access-keys/provisional-types'
import type { Pagination } from '../../../server/admin/schemas'

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, { method, credentials: 'same-origin', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })
  const json = (await res.json()) as { code: unknown; message: string; data: T }
  if (!res.ok || json.code !== 0) throw new Error(json.message)
  return json.data
}

export const provisionalAccessKeys = {
  list: (q: { page: number; page_size: number }) => call<{ items: AccessKeyView[]; pagination: Pagination }>('GET', `/api/access-keys?page=${q.page}&page_size=${q.page_size}`),
  create: (input: AccessKeyInput) => call<AccessKeyView & { key: string }>('POST', '/api/access-keys', input),
  update: (id: number, input: Partial<AccessKeyInput>) => call<AccessKeyView>('PUT', `/api/access-keys/${id}`, input),
  remove: (id: number) => call<null>('DELETE', `/api/access-keys/${id}`),
  rotate: (id: number) => call<AccessKeyView & { key: string }>('POST', `/api/access-keys/${id}/rotate`),
  usage: (id: number, q: { start_time: number; end_time: number; interval: 'hour' | 'day' }) =>
    call<AccessKeyUsage>('GET', `/api/access-keys/${id}/usage?start_time=${q.start_time}&end_time=${q.end_time}&interval=${q.interval}`),
}
