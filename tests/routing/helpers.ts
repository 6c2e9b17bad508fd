/** A keypool node with one fake upstream and groups that serve models on the root routes. */
import type { Group, NewGroup } from '../../db/types'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'

export const GLOBAL_KEY = TEST_AUTH_KEY // proxy_keys starts as AUTH_KEY

export interface RoutingRig {
  app: TestApp
  upstream: FakeUpstream
  /** `${app.url}/v1` */
  v1: string
  group(name: string, fields: Partial<NewGroup>, keys: string[]): Promise<Group>
  [Symbol.asyncDispose](): Promise<void>
}

export async function routingRig(env: Record<string, string> = {}): Promise<RoutingRig> {
  const upstream = await startFakeUpstream()
  const app = await createTestApp({ env })
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  return {
    app,
    upstream,
    v1: `${app.url}/v1`,
    group: (name, fields, keys) => seedGroup(app.deps, { name, upstreams: [{ url: upstream.url, weight: 1 }], ...fields }, keys),
    async [Symbol.asyncDispose]() {
      await app.stop()
      await upstream.stop()
    },
  }
}

/** The three families of the official SDKs' tests: an OpenAI, an Anthropic and a Gemini group. */
export async function threeFamilies(rig: RoutingRig) {
  const gpt = await rig.group('gpt', { channel_type: 'openai', models: ['gpt-4o*', 'text-embedding-3-small'] }, ['sk-gpt-1', 'sk-gpt-2'])
  const claude = await rig.group('claude', { channel_type: 'anthropic', models: ['claude-3-5-haiku-latest'] }, ['sk-ant-1'])
  const gem = await rig.group('gem', { channel_type: 'gemini', models: ['gemini-2.0-flash', 'gemini-1.5-*'] }, ['AIza-gem-1'])
  return { gpt, claude, gem }
}

export function chatAt(url: string, model: string, key = GLOBAL_KEY, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  })
}

export async function finalRows(app: TestApp) {
  await app.deps.logs.flush()
  const page = await app.deps.store.queryLogs({ page: 1, page_size: 1000, request_type: 'final' })
  return page.items.reverse()
}
