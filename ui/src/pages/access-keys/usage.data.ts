/** One access key's usage over a chosen range (hourly for a day, daily beyond), with every bucket present. */
import { createMemo, createResource, createSignal } from 'solid-js'
import { api } from '../../api/client'
import { toastError } from '../../lib/toast'

export type UsageRange = 'day' | 'week' | 'month'
export type UsageMetric = 'requests' | 'tokens' | 'cost'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const RANGES: Record<UsageRange, { span: number; interval: 'hour' | 'day' }> = {
  day: { span: DAY, interval: 'hour' },
  week: { span: 7 * DAY, interval: 'day' },
  month: { span: 30 * DAY, interval: 'day' },
}

/** Bucket starts from `start` to `end` (local midnight for days, so bars line up with the date ticks). */
function buckets(start: number, end: number, interval: 'hour' | 'day'): number[] {
  const out: number[] = []
  const at = new Date(start)
  if (interval === 'day') at.setHours(0, 0, 0, 0)
  else at.setMinutes(0, 0, 0)
  while (at.getTime() <= end) {
    out.push(at.getTime())
    // setDate, not +24 h: a day across a daylight-saving change is 23 or 25 hours long
    if (interval === 'day') at.setDate(at.getDate() + 1)
    else at.setTime(at.getTime() + HOUR)
  }
  return out
}

export function createUsageData(id: () => number) {
  const [range, setRange] = createSignal<UsageRange>('day')
  const [metric, setMetric] = createSignal<UsageMetric>('requests')
  const span = () => {
    const end = Date.now()
    const r = RANGES[range()]
    return { id: id(), start: end - r.span, end, interval: r.interval }
  }
  const [usage] = createResource(span, async (w) => {
    try {
      const data = await api.accessKeys.usage(w.id, { start_time: new Date(w.start).toISOString(), end_time: new Date(w.end).toISOString(), interval: w.interval })
      return { ...w, points: data.points }
    } catch (err) {
      toastError(err)
      return undefined
    }
  })

  const totals = createMemo(() => {
    const points = usage.latest?.points ?? []
    return {
      requests: points.reduce((n, p) => n + p.requests, 0),
      tokens: points.reduce((n, p) => n + p.prompt_tokens + p.completion_tokens, 0),
      cost: points.reduce((n, p) => n + p.cost_usd, 0),
    }
  })

  /** The chosen metric per bucket; buckets the server left out (no requests) are zero. */
  const series = createMemo(() => {
    const u = usage.latest
    if (!u) return undefined
    const times = buckets(u.start, u.end, u.interval)
    const byTime = new Map(u.points.map((p) => [p.time, p]))
    const pick = metric()
    const values = times.map((time) => {
      const p = byTime.get(time)
      if (!p) return 0
      return pick === 'requests' ? p.requests : pick === 'tokens' ? p.prompt_tokens + p.completion_tokens : p.cost_usd
    })
    return { times, values }
  })

  return { range, setRange, metric, setMetric, series, totals, interval: () => RANGES[range()].interval, loading: () => usage.loading }
}
