/**
 * Access keys for the admin API: create (the secret is answered once), edit, rotate, delete, and each key's usage.
 * Every write reloads the proxy's registry on this node and, through the config bus, on every other node.
 */
import type { AccessKey, AccessKeyPatch, NewAccessKey } from '../../db/types'
import { compileAccessKey } from '../access/compiled'
import { periodBounds } from '../access/period'
import { periodUsage, seedBudgets, type Spent } from '../access/period-usage'
import { DISPLAY_PREFIX_LENGTH, newAccessKeySecret } from '../access/secret'
import { parseCidr } from '../shared/client-address'
import { conflict, notFound, validationError } from '../shared/errors'
import type { AccessKeyCreate, AccessKeyCreated, AccessKeyUpdate, AccessKeyView, UsageBucket } from './access-key-schemas'
import type { AdminDeps } from './deps'

const DEFAULTS: Omit<NewAccessKey, 'name' | 'key_prefix' | 'key_hash'> = {
  enabled: true,
  expires_at: null,
  groups: [],
  models: [],
  ip_allowlist: [],
  rpm_limit: 0,
  tpm_limit: 0,
  max_concurrency: 0,
  token_budget: 0,
  cost_budget_usd: 0,
  budget_period: 'month',
  notes: '',
}

export async function requireAccessKey(deps: AdminDeps, id: number): Promise<AccessKey> {
  const k = await deps.store.getAccessKey(id)
  if (!k) throw notFound(`access key ${id} not found`)
  return k
}

/** Lists trimmed and deduplicated; CIDRs and group names checked with a message naming the entry. */
function clean(deps: AdminDeps, input: AccessKeyUpdate): AccessKeyPatch {
  const out: AccessKeyPatch = { ...input }
  if (input.name !== undefined) {
    out.name = input.name.trim()
    if (!out.name) throw validationError('name must not be empty')
  }
  const list = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter((x) => x !== ''))]
  if (input.groups) {
    out.groups = list(input.groups)
    out.groups.forEach((g, i) => {
      if (!deps.groups.byName(g)) throw validationError(`groups[${i}]: group "${g}" not found`)
    })
  }
  if (input.models) out.models = list(input.models)
  if (input.ip_allowlist) {
    out.ip_allowlist = list(input.ip_allowlist)
    out.ip_allowlist.forEach((c, i) => {
      if (!parseCidr(c)) throw validationError(`ip_allowlist[${i}]: "${c}" is not an IP address or CIDR`)
    })
  }
  return out
}

async function nameFree(deps: AdminDeps, name: string, except?: number): Promise<void> {
  const taken = (await deps.store.listAccessKeys()).some((k) => k.name === name && k.id !== except)
  if (taken) throw conflict(`name: an access key named "${name}" already exists`)
}

/**
 * A key's usage this period: a budgeted key's from its live counters (what its budget is checked against), any
 * other key's from the hourly stats (its answers are not debited to the counters).
 */
async function spentNow(deps: AdminDeps, k: AccessKey, periodStart: number, now: number): Promise<Spent> {
  const compiled = compileAccessKey(k)
  if (!compiled.budgeted) return (await periodUsage(deps.store, [compiled], now)).get(k.id) ?? { tokens: 0, costMicros: 0 }
  // an unreachable Redis shows 0 rather than failing the whole list
  return deps.access.counters.spent(k.id, periodStart).catch(() => ({ tokens: 0, costMicros: 0 }))
}

export async function toView(deps: AdminDeps, k: AccessKey): Promise<AccessKeyView> {
  const { key_hash: _hash, ...rest } = k
  const now = deps.clock.now()
  const p = periodBounds(k.budget_period, now)
  const spent = await spentNow(deps, k, p.start, now)
  return {
    ...rest,
    usage: { period: k.budget_period, period_start: p.start, period_end: p.end, tokens: spent.tokens, cost_usd: spent.costMicros / 1e6 },
  }
}

export async function listAccessKeys(deps: AdminDeps, q: { name?: string; page: number; page_size: number }) {
  const needle = q.name?.trim().toLowerCase()
  const all = (await deps.store.listAccessKeys()).filter((k) => !needle || k.name.toLowerCase().includes(needle))
  const page = all.slice((q.page - 1) * q.page_size, q.page * q.page_size)
  return { items: await Promise.all(page.map((k) => toView(deps, k))), total: all.length }
}

/** A key that just got a budget starts from what it already spent this period. */
async function seedBudget(deps: AdminDeps, row: AccessKey): Promise<void> {
  await seedBudgets(deps.store, deps.access.counters, [compileAccessKey(row)], deps.clock.now()).catch(() => {})
}

function secretFields(deps: AdminDeps): { key: string; key_prefix: string; key_hash: string } {
  const key = newAccessKeySecret()
  return { key, key_prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), key_hash: deps.access.registry.hasher.hash(key) }
}

export async function createAccessKey(deps: AdminDeps, input: AccessKeyCreate): Promise<AccessKeyCreated> {
  const fields = clean(deps, input)
  await nameFree(deps, fields.name!)
  const { key, ...secret } = secretFields(deps)
  const row = await deps.store.createAccessKey({ ...DEFAULTS, ...fields, name: fields.name!, ...secret })
  await deps.access.registry.changed('local')
  await seedBudget(deps, row)
  return { ...(await toView(deps, row)), key }
}

export async function updateAccessKey(deps: AdminDeps, id: number, input: AccessKeyUpdate): Promise<AccessKeyView> {
  await requireAccessKey(deps, id)
  const fields = clean(deps, input)
  if (fields.name !== undefined) await nameFree(deps, fields.name, id)
  const row = await deps.store.updateAccessKey(id, fields)
  if (!row) throw notFound(`access key ${id} not found`)
  await deps.access.registry.changed('local')
  await seedBudget(deps, row)
  return toView(deps, row)
}

/** A new secret; the old one stops working at once (on every node once the bus delivered the change). */
export async function rotateAccessKey(deps: AdminDeps, id: number): Promise<AccessKeyCreated> {
  await requireAccessKey(deps, id)
  const { key, ...secret } = secretFields(deps)
  const row = await deps.store.updateAccessKey(id, secret)
  if (!row) throw notFound(`access key ${id} not found`)
  await deps.access.registry.changed('local')
  return { ...(await toView(deps, row)), key }
}

export async function deleteAccessKey(deps: AdminDeps, id: number): Promise<void> {
  if (!(await deps.store.deleteAccessKey(id))) throw notFound(`access key ${id} not found`)
  await deps.access.registry.changed('local')
  await deps.access.counters.drop(id).catch(() => {})
}

const HOUR = 3600_000
const MAX_BUCKETS = 24 * 400

/**
 * Requests, tokens and cost per hour or day (days start at 00:00 in TZ). Rows come from the per-access-key hourly
 * stats; buckets with nothing in them are answered as zeros, so a chart has no gaps.
 */
export async function accessKeyUsage(
  deps: AdminDeps,
  id: number,
  q: { start_time?: number; end_time?: number; interval?: 'hour' | 'day' },
) {
  await requireAccessKey(deps, id)
  const interval = q.interval ?? 'hour'
  const end = q.end_time ?? deps.clock.now()
  const start = q.start_time ?? end - 24 * HOUR
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start)
    throw validationError('start_time must be an epoch ms time before end_time')
  const starts = bucketStarts(interval, start, end)
  if (starts.length > MAX_BUCKETS) throw validationError(`start_time: at most ${MAX_BUCKETS} ${interval}s per query`)
  const rows = await deps.store.hourlyStats(Math.floor(start / HOUR) * HOUR, end, undefined, id)
  const buckets: UsageBucket[] = starts.map((time) => ({ time, requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 }))
  for (const r of rows) {
    let i = starts.length - 1
    while (i > 0 && starts[i]! > r.hour) i--
    const b = buckets[i]
    if (!b || r.hour < starts[0]!) continue
    b.requests += r.success_count + r.failure_count
    b.prompt_tokens += r.prompt_tokens
    b.completion_tokens += r.completion_tokens
    b.cost_usd += r.cost_micros / 1e6
  }
  return { id, interval, start_time: start, end_time: end, buckets }
}

function bucketStarts(interval: 'hour' | 'day', start: number, end: number): number[] {
  const out: number[] = []
  const d = new Date(start)
  if (interval === 'hour') d.setMinutes(0, 0, 0)
  else d.setHours(0, 0, 0, 0)
  while (d.getTime() <= end && out.length <= MAX_BUCKETS) {
    out.push(d.getTime())
    if (interval === 'hour') d.setTime(d.getTime() + HOUR)
    else d.setDate(d.getDate() + 1)
  }
  return out
}
