/**
 * Quick mode's routes (GPT-Load's first generation): the group `default` that `KEYS_FILE` seeds at start
 * (server/config/quick-mode-seed.ts) is served also without prefix (`/v1/...`), with `/stats`, `/blacklist` and
 * `/reset-keys` beside it.
 */
import { Elysia } from 'elysia'
import type { Store } from '../../db/types'
import { QUICK_GROUP } from '../config/quick-mode-seed'
import type { GroupCache } from '../config/group-cache'
import type { KeyPool } from '../pool/types'
import { maskKey } from '../shared/mask'
import { keyAllowed, readClientKey } from './client-key'
import { handleProxy } from './handler'
import type { ProxyDeps } from './types'
import { nativeError } from './native-error'
import { proxyContext } from './route'
import { canUpgrade, isWebSocketUpgrade, upgradeProxy } from './websocket-upgrade'

/** `/v1/...` without prefix is the `default` group, for what model routing does not take (server/proxy/root-route.ts). */
export function quickProxyRequest(d: ProxyDeps, request: Request, server: unknown): Promise<Response | undefined> {
  const { url, ip } = proxyContext(d, request, server)
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
  // `/v1/*` itself is mounted by the root routes (server/proxy/root-route.ts), which hand quick mode its calls
  return new Elysia({ name: 'proxy.quick-mode' })
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
