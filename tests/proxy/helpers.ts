/** Shared set-up for proxy tests: a fake upstream, a keypool node, and a group pointing at the upstream. */
import type { Group, NewGroup } from '../../db/types'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'

export const PROXY_KEY = TEST_AUTH_KEY // proxy_keys starts as AUTH_KEY, as in GPT-Load

export interface ProxyRig {
  app: TestApp
  upstream: FakeUpstream
  group: Group
  /** `${app.url}/proxy/${group.name}` */
  base: string
  [Symbol.asyncDispose](): Promise<void>
}

export async function proxyRig(
  keys: string[],
  fields: Partial<NewGroup> = {},
  env: Record<string, string> = {},
): Promise<ProxyRig> {
  const upstream = await startFakeUpstream()
  const app = await createTestApp({ env: { ...env } })
  // write request logs at once so tests can read them
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  const group = await seedGroup(app.deps, { name: fields.name ?? 'g1', upstreams: [{ url: upstream.url, weight: 1 }], ...fields }, keys)
  return {
    app,
    upstream,
    group,
    base: `${app.url}/proxy/${group.name}`,
    async [Symbol.asyncDispose]() {
      await app.stop()
      await upstream.stop()
    },
  }
}

export function chat(base: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}`, ...headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
  })
}

export async function logsOf(app: TestApp) {
  await app.deps.logs.flush()
  const page = await app.deps.store.queryLogs({ page: 1, page_size: 1000 })
  return page.items
}
