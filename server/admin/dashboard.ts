/**
 * `/api/dashboard/stats` (cards), `/api/dashboard/chart` (hourly requests, cost or tokens), `/api/dashboard/top`
 * (access keys or models by cost or requests over a range), `encryption-status`.
 */
import { Elysia } from 'elysia'
import type { HourlyStat } from '../../db/types'
import type { AdminDeps } from './deps'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { intIn, ok } from './envelope'
import { encryptionStatus } from './encryption-status'
import { ChartData, ChartQuery, DashboardStats, EncryptionStatus, Envelope, type StatCard } from './schemas'
import { TopList, TopQuery, type TopList as TopListData, type TopQuery as TopParams } from './pricing-schemas'
import { timeOf, usd } from './logs'
import { validationError } from '../shared/errors'
import { securityWarnings } from './security-warnings'

const HOUR = 3_600_000
const DAY = 24 * HOUR

function totals(rows: HourlyStat[]) {
  let ok = 0
  let failed = 0
  let tokens = 0
  let costMicros = 0
  for (const r of rows) {
    ok += r.success_count
    failed += r.failure_count
    tokens += r.prompt_tokens + r.completion_tokens
    costMicros += r.cost_micros
  }
  return { requests: ok + failed, failed, tokens, costMicros, errorRate: ok + failed === 0 ? 0 : (failed / (ok + failed)) * 100 }
}

/** Percent change from `prev` to `cur`. */
function trend(cur: number, prev: number): { trend: number; trend_is_growth: boolean } {
  const pct = prev === 0 ? (cur === 0 ? 0 : 100) : ((cur - prev) / prev) * 100
  return { trend: Math.round(pct * 10) / 10, trend_is_growth: cur >= prev }
}

const card = (value: number, extra: Partial<StatCard> = {}): StatCard => ({
  value, sub_value: 0, sub_value_tip: '', trend: 0, trend_is_growth: true, ...extra,
})

export async function dashboardStats(deps: AdminDeps) {
  const now = deps.clock.now()
  const keys = { active: 0, cooling: 0, invalid: 0, disabled: 0 }
  // The pool's counts are live (cooling changes by the second); the store's may lag one flush.
  for (const g of deps.groups.all()) {
    if (g.group_type !== 'standard') continue
    const s = await deps.pool.stats(g.id)
    keys.active += s.active
    keys.cooling += s.cooling
    keys.invalid += s.invalid
    keys.disabled += s.disabled
  }
  // 24 hourly buckets up to the current one, against the 24 before them.
  const curStart = Math.floor(now / HOUR) * HOUR - 23 * HOUR
  const rows = await deps.store.hourlyStats(curStart - DAY, now + 1)
  const cur = totals(rows.filter((r) => r.hour >= curStart))
  const prev = totals(rows.filter((r) => r.hour < curStart))
  const totalKeys = keys.active + keys.cooling + keys.invalid + keys.disabled
  return {
    key_count: card(totalKeys, { sub_value: keys.invalid, sub_value_tip: 'invalid keys' }),
    keys,
    rpm: deps.cluster?.rpm
      ? card(await deps.cluster.rpm(), { sub_value_tip: 'requests in the last 60 s, all nodes' })
      : card(deps.metrics.rpm(), { sub_value_tip: 'requests in the last 60 s' }),
    request_count: card(cur.requests, { sub_value: cur.failed, sub_value_tip: 'failed in 24 h', ...trend(cur.requests, prev.requests) }),
    error_rate: card(Math.round(cur.errorRate * 100) / 100, { ...trend(cur.errorRate, prev.errorRate) }),
    token_count: card(cur.tokens, { sub_value_tip: 'tokens in 24 h', ...trend(cur.tokens, prev.tokens) }),
    cost: card(usd(cur.costMicros), { sub_value_tip: 'USD in 24 h', ...trend(cur.costMicros, prev.costMicros) }),
    security_warnings: securityWarnings({
      authKey: deps.authKey,
      proxyKeys: deps.settings.get().proxy_keys,
      encrypted: Boolean(deps.env.encryptionKey),
    }),
  }
}

export type ChartMetric = 'requests' | 'cost' | 'tokens'

const CHART_SERIES: Record<ChartMetric, { label: string; color: string; of: (r: HourlyStat) => number }[]> = {
  requests: [
    { label: 'success', color: '#22c55e', of: (r) => r.success_count },
    { label: 'failure', color: '#ef4444', of: (r) => r.failure_count },
  ],
  cost: [{ label: 'cost_usd', color: '#f59e0b', of: (r) => r.cost_micros }],
  tokens: [
    { label: 'prompt_tokens', color: '#3b82f6', of: (r) => r.prompt_tokens },
    { label: 'completion_tokens', color: '#8b5cf6', of: (r) => r.completion_tokens },
  ],
}

export interface ChartFilter {
  groupId?: number
  accessKeyId?: number
  metric?: ChartMetric
}

export async function dashboardChart(deps: AdminDeps, filter: ChartFilter, hours: number) {
  const now = deps.clock.now()
  const firstHour = Math.floor(now / HOUR) * HOUR - (hours - 1) * HOUR
  const rows = await deps.store.hourlyStats(firstHour, now + 1, filter.groupId, filter.accessKeyId)
  const metric = filter.metric ?? 'requests'
  const series = CHART_SERIES[metric]
  const data = series.map(() => new Array<number>(hours).fill(0))
  for (const r of rows) {
    const i = Math.floor((r.hour - firstHour) / HOUR)
    if (i < 0 || i >= hours) continue
    series.forEach((s, n) => (data[n]![i]! += s.of(r)))
  }
  return {
    labels: Array.from({ length: hours }, (_, i) => new Date(firstHour + i * HOUR).toISOString()),
    datasets: series.map((s, n) => ({ label: s.label, data: metric === 'cost' ? data[n]!.map(usd) : data[n]!, color: s.color })),
  }
}

export async function dashboardTop(deps: AdminDeps, q: TopParams): Promise<TopListData> {
  const end = timeOf('end_time', q.end_time) ?? deps.clock.now()
  const start = timeOf('start_time', q.start_time) ?? end - DAY
  if (start > end) throw validationError('start_time must not be after end_time')
  const order = q.order ?? 'cost'
  // hourly buckets: an hour counts when it starts inside the range (the bucket holding `start` included)
  const rows = await deps.store.usageTotals({
    since: Math.floor(start / HOUR) * HOUR,
    until: end + 1,
    by: q.by,
    order,
    limit: intIn('limit', q.limit, 1, 100, 10),
    group_id: q.group_id,
  })
  const items = rows.map((r) => ({
    ...r,
    access_key_id: q.by === 'access_key' && r.access_key_id !== 0 ? r.access_key_id : null,
    cost_usd: usd(r.cost_micros),
  }))
  return { by: q.by, order, start_time: start, end_time: end, items }
}

export function dashboardRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.dashboard', prefix: '/api/dashboard', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get('/stats', async () => ok(await dashboardStats(deps)), {
      response: Envelope(DashboardStats),
      detail: { summary: 'Keys by state, live RPM, requests, error rate and tokens over 24 h with trends' },
    })
    .get(
      '/chart',
      async ({ query }) => {
        const filter = { groupId: query.group_id ?? query.groupId, accessKeyId: query.access_key_id, metric: query.metric }
        return ok(await dashboardChart(deps, filter, intIn('hours', query.hours, 1, 720, 24)))
      },
      {
        query: ChartQuery,
        response: Envelope(ChartData),
        detail: { summary: 'Hourly requests (success, failure), cost in USD or tokens, overall, per group or per access key' },
      },
    )
    .get('/top', async ({ query }) => ok(await dashboardTop(deps, query)), {
      query: TopQuery,
      response: Envelope(TopList),
      detail: { summary: 'Top access keys or models by cost or requests over a time range (default the last 24 h)' },
    })
    .get('/encryption-status', async () => ok(await encryptionStatus(deps)), {
      response: Envelope(EncryptionStatus),
      detail: { summary: 'Whether the stored keys match ENCRYPTION_KEY (GPT-Load web admin banner)' },
    })
}
