/**
 * `keypool access-keys create|list|disable`, for scripts: on the configured database directly. A running node
 * applies the change after SIGHUP or a restart (in a cluster, SIGHUP every node, or use the admin API instead).
 */
import type { BackendStore } from '../../db/backend'
import { BUDGET_PERIODS, isOneOf } from '../../db/domain'
import type { AccessKey, KeyCipher, NewAccessKey } from '../../db/types'
import { DISPLAY_PREFIX_LENGTH, loadAccessKeyHasher, newAccessKeySecret } from '../access/secret'
import { parseCidr } from '../shared/client-address'
import { UsageError } from './exit-codes'

type CliStore = BackendStore & { cipher: KeyCipher }

const list = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean)

function count(flag: string, v: string | undefined): number {
  if (v === undefined) return 0
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`flag --${flag} must be a whole number 0 or more, got "${v}"`)
  return Number(v)
}

function expiry(v: string | undefined): number | null {
  if (v === undefined) return null
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
  if (!Number.isFinite(t)) throw new UsageError(`flag --expires-at must be an ISO date or epoch ms, got "${v}"`)
  return t
}

export async function createAccessKeyCli(store: CliStore, name: string, o: Record<string, string>): Promise<{ key: string; row: AccessKey }> {
  const trimmed = name.trim()
  if (!trimmed || trimmed.length > 100) throw new UsageError('the name must be 1 to 100 characters')
  if ((await store.listAccessKeys()).some((k) => k.name === trimmed)) throw new UsageError(`an access key named "${trimmed}" already exists`)
  const groups = list(o.groups)
  for (const g of groups) if (!(await store.getGroupByName(g))) throw new UsageError(`flag --groups: group "${g}" not found`)
  const ips = list(o['ip-allowlist'])
  for (const c of ips) if (!parseCidr(c)) throw new UsageError(`flag --ip-allowlist: "${c}" is not an IP address or CIDR`)
  const period = o['budget-period'] ?? 'month'
  if (!isOneOf(BUDGET_PERIODS, period)) throw new UsageError(`flag --budget-period must be one of ${BUDGET_PERIODS.join('|')}, got "${period}"`)
  const cost = o['cost-budget'] === undefined ? 0 : Number(o['cost-budget'])
  if (!Number.isFinite(cost) || cost < 0) throw new UsageError(`flag --cost-budget must be USD 0 or more, got "${o['cost-budget']}"`)
  const key = newAccessKeySecret()
  const hasher = await loadAccessKeyHasher(store, store.cipher)
  const fields: NewAccessKey = {
    name: trimmed,
    key_prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
    key_hash: hasher.hash(key),
    enabled: true,
    expires_at: expiry(o['expires-at']),
    groups,
    models: list(o.models),
    ip_allowlist: ips,
    rpm_limit: count('rpm', o.rpm),
    tpm_limit: count('tpm', o.tpm),
    max_concurrency: count('concurrency', o.concurrency),
    token_budget: count('token-budget', o['token-budget']),
    cost_budget_usd: cost,
    budget_period: period,
    notes: o.notes ?? '',
  }
  return { key, row: await store.createAccessKey(fields) }
}

export function accessKeyLines(rows: AccessKey[]): string[] {
  const head = ['id', 'name', 'prefix', 'enabled', 'rpm', 'tpm', 'concurrency', 'token_budget', 'cost_budget_usd', 'period', 'groups']
  const body = rows.map((k) => [
    String(k.id), k.name, `${k.key_prefix}…`, k.enabled ? 'yes' : 'no', String(k.rpm_limit), String(k.tpm_limit),
    String(k.max_concurrency), String(k.token_budget), String(k.cost_budget_usd), k.budget_period, k.groups.join(',') || '*',
  ])
  return [head, ...body].map((cols) => cols.join('\t'))
}

export async function disableAccessKeyCli(store: CliStore, nameOrId: string): Promise<AccessKey> {
  const all = await store.listAccessKeys()
  const k = all.find((x) => x.name === nameOrId) ?? (/^\d+$/.test(nameOrId) ? all.find((x) => x.id === Number(nameOrId)) : undefined)
  if (!k) throw new UsageError(`no access key named or numbered "${nameOrId}"`)
  return (await store.updateAccessKey(k.id, { enabled: false }))!
}
