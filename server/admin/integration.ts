/**
 * `GET /api/integration/info`: the holder's own view, authenticated by the key it describes (a proxy key or an
 * access key, as Bearer or `?key=`), never by the admin key. A public route for the admin gate.
 */
import { Elysia } from 'elysia'
import type { AccessKey, Group } from '../../db/types'
import { IntegrationInfo, IntegrationQuery, type IntegrationGroup } from './access-key-schemas'
import { toView } from './access-keys-service'
import { unauthorized } from './auth'
import type { AdminContext } from './context'
import type { AdminDeps } from './deps'
import { ok } from './envelope'
import { Envelope } from './schemas'

const split = (text: string) => text.split(/[\s,;]+/).filter(Boolean)

function groupInfo(g: Group): IntegrationGroup {
  return { name: g.name, display_name: g.display_name, channel_type: g.channel_type, path: `/proxy/${g.name}` }
}

function bearer(request: Request, query: { key?: string }): string | null {
  const auth = request.headers.get('authorization')
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim()
  return query.key?.trim() || null
}

async function accessKeyInfo(deps: AdminDeps, row: AccessKey) {
  const view = await toView(deps, row)
  const groups = deps.groups.all().filter((g) => row.groups.length === 0 || row.groups.includes(g.name))
  return {
    name: row.name,
    key_prefix: row.key_prefix,
    expires_at: row.expires_at,
    limits: {
      rpm_limit: row.rpm_limit,
      tpm_limit: row.tpm_limit,
      max_concurrency: row.max_concurrency,
      token_budget: row.token_budget,
      cost_budget_usd: row.cost_budget_usd,
      budget_period: row.budget_period,
    },
    usage: view.usage,
    groups: groups.map(groupInfo),
    models: row.models,
  }
}

export function integrationRoutes({ deps, seed }: AdminContext) {
  return new Elysia({ name: 'admin.integration', prefix: '/api/integration', seed }).get(
    '/info',
    async ({ request, query }) => {
      const key = bearer(request, query)
      if (!key) throw unauthorized('send the proxy key or access key as Authorization: Bearer or ?key=')
      if (split(deps.settings.get().proxy_keys).includes(key)) return ok(deps.groups.all().map(groupInfo))
      const own = deps.groups.all().filter((g) => split(g.proxy_keys).includes(key))
      if (own.length > 0) return ok(own.map(groupInfo))
      const k = deps.access.find(key)
      if (!k) throw unauthorized('unknown key')
      if (!k.row.enabled) throw unauthorized('this access key is disabled')
      if (k.row.expires_at !== null && k.row.expires_at <= deps.clock.now()) throw unauthorized('this access key has expired')
      return ok(await accessKeyInfo(deps, k.row))
    },
    {
      query: IntegrationQuery,
      response: Envelope(IntegrationInfo),
      detail: { summary: "The caller's own view: a proxy key's groups, or an access key's limits, usage, groups and models" },
    },
  )
}
