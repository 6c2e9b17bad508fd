/**
 * Quick mode (GPT-Load's first generation): `KEYS_FILE` + `OPENAI_BASE_URL` make a group `default` at start,
 * served also without prefix (`/v1/...`), with `/stats`, `/blacklist` and `/reset-keys` beside it.
 */
import { readFileSync } from 'node:fs'
import { Elysia } from 'elysia'
import { newGroup } from '../../db/new-group'
import type { Group, Store } from '../../db/types'
import type { Env } from '../config/env'
import type { GroupCache } from '../config/group-cache'
import type { KeyPool } from '../pool/types'
import { maskKey } from '../shared/mask'
import { log } from '../shared/logger'
import { keyAllowed, readClientKey } from './client-key'
import { handleProxy, type ProxyDeps } from './handler'
import { nativeError } from './native-error'
import { proxyContext } from './route'
import { splitKeys } from './runtime-groups'
import { canUpgrade, isWebSocketUpgrade, upgradeProxy } from './websocket-upgrade'

export const QUICK_GROUP = 'default'

/** Create or update the `default` group from the env and import the keys file. Returns the group. */
export async function setupQuickMode(env: Env, store: Store): Promise<Group | null> {
  if (!env.keysFile) return null
  let text: string
  try {
    text = readFileSync(env.keysFile, 'utf8')
  } catch (err) {
    throw new Error(`KEYS_FILE: cannot read ${env.keysFile}: ${(err as Error).message}`)
  }
  const config: Record<string, unknown> = {}
  if (env.maxRetries !== undefined) config.max_retries = env.maxRetries
  if (env.blacklistThreshold !== undefined) config.blacklist_threshold = env.blacklistThreshold
  const fields = {
    channel_type: 'openai' as const,
    upstreams: env.openaiBaseUrl.map((url) => ({ url, weight: 1 })),
    config,
  }
  let group = await store.getGroupByName(QUICK_GROUP)
  if (group) group = (await store.updateGroup(group.id, fields)) ?? group
  else
    group = await store.createGroup(
      newGroup(QUICK_GROUP, { display_name: 'Default (quick mode)', description: `Keys from ${env.keysFile}`, ...fields }),
    )
  const r = await store.addKeys(group.id, splitKeys(text))
  log.info(`quick mode: group "${QUICK_GROUP}" has ${r.total_in_group} keys (${r.added_count} added from ${env.keysFile})`)
  return group
}

/** `/v1/...` without prefix is the `default` group (mounted natively in server/app.ts as well). */
export function quickProxyRequest(d: ProxyDeps, request: Request, server: unknown): Promise<Response | undefined> {
  const { url, ip } = proxyContext(request, server)
  const p = { request, groupName: QUICK_GROUP, path: url.pathname, url, ip }
  if (isWebSocketUpgrade(request) && canUpgrade(server)) return upgradeProxy(d, p, server)
  return handleProxy(d, p)
}

export function quickModePlugin(d: ProxyDeps, deps: { store: Store; pool: KeyPool; groups: GroupCache }) {
  const authorized = (request: Request) => {
    const rg = d.runtime.get(QUICK_GROUP)
    const { key } = readClientKey(request.headers, new URL(request.url))
    return rg !== undefined && keyAllowed(key, d.runtime.globalProxyKeys, rg.proxyKeys)
  }
  const denied = () => nativeError(d.runtime.get(QUICK_GROUP)!.channel, 401, 'invalid or missing proxy key', 'invalid_api_key')
  const groupId = () => deps.groups.byName(QUICK_GROUP)!.id
  return new Elysia({ name: 'proxy.quick-mode' })
    .all(
      '/v1/*',
      ({ request, server }) => quickProxyRequest(d, request, server),
      { parse: 'none' },
    )
    .get('/stats', async ({ request }) => {
      if (!authorized(request)) return denied()
      const counts = await deps.pool.stats(groupId()) // live: the store lags by one flush interval
      const total = Object.values(counts).reduce((a, b) => a + b, 0)
      return { total_keys: total, healthy_keys: counts.active, cooling_keys: counts.cooling, blacklisted_keys: counts.invalid, disabled_keys: counts.disabled, keys: counts }
    })
    .get('/blacklist', async ({ request }) => {
      if (!authorized(request)) return denied()
      await deps.pool.flush()
      const keys = await deps.store.keysByStatus('invalid', groupId())
      return { count: keys.length, keys: keys.map((k) => ({ id: k.id, key: maskKey(k.key_value), failures: k.failure_count })) }
    })
    .get('/reset-keys', ({ request }) => resetKeys(request))
    .post('/reset-keys', ({ request }) => resetKeys(request))

  async function resetKeys(request: Request) {
    if (!authorized(request)) return denied()
    const id = groupId()
    await deps.pool.flush()
    const invalid = await deps.store.keysByStatus('invalid', id)
    await deps.pool.setStatus(id, invalid.map((k) => k.id), 'active')
    return { success: true, restored: invalid.length }
  }
}
