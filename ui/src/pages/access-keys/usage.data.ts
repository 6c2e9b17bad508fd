/** One access key's usage over a chosen range: hourly buckets for a day, daily ones (from local midnight) beyond. */
import { createMemo, createResource, createSignal } from 'solid-js'
import { api } from '../../api/client'
import { toastError } from '../../lib/toast'

export type UsageRange = 'day' | 'week' | 'month'
export type UsageMetric = 'requests' | 'tokens' | 'cost'

const DAY = 24 * 3_600_000
const RANGES: Record<UsageRange, { days: number; interval: 'hour' | 'day' }> = {
  day: { days: 1, interval: 'hour' },
  week: { days: 7, interval: 'day' },
  month: { days: 30, interval: 'day' },
}

export function createUsageData(id: () => number) {
  const [range, setRange] = createSignal<UsageRange>('day')
  const [metric, setMetric] = createSignal<UsageMetric>('requests')
  const query = () => {
    const end = Date.now()
    const r = RANGES[range()]
    // a day range is the last 24 hours; longer ones start at a midnight so the first bar is a whole day
    const start = new Date(end - r.days * DAY + (r.interval === 'day' ? DAY : 0))
    if (r.interval === 'day') start.setHours(0, 0, 0, 0)
    return { id: id(), start_time: start.getTime(), end_time: end, interval: r.interval }
  }
  // The server answers every bucket in the range, empty ones as zeros.
  const [usage] = createResource(query, ({ id, ...q }) => api.accessKeys.usage(id, q).catch((err) => (toastError(err), undefined)))

  const buckets = () => usage.latest?.buckets ?? []
  const totals = createMemo(() => ({
    requests: buckets().reduce((n, b) => n + b.requests, 0),
    tokens: buckets().reduce((n, b) => n + b.prompt_tokens + b.completion_tokens, 0),
    cost: buckets().reduce((n, b) => n + b.cost_usd, 0),
  }))
  const series = createMemo(() => {
    if (!usage.latest) return undefined
    const pick = metric()
    return {
      times: buckets().map((b) => b.time),
      values: buckets().map((b) => (pick === 'requests' ? b.requests : pick === 'tokens' ? b.prompt_tokens + b.completion_tokens : b.cost_usd)),
    }
  })

  return { range, setRange, metric, setMetric, series, totals, interval: () => RANGES[range()].interval, loading: () => usage.loading }
}
