/**
 * Budget periods: a day, a week (from Monday) or a month starting at 00:00 local time (the process's TZ), or the
 * whole life of the key. Bounds are epoch ms; a total period has no end.
 */
import type { BudgetPeriod } from '../../db/types'

export interface PeriodBounds {
  start: number
  /** null: the period never ends */
  end: number | null
}

export function periodBounds(period: BudgetPeriod, now: number): PeriodBounds {
  if (period === 'total') return { start: 0, end: null }
  const d = new Date(now)
  d.setHours(0, 0, 0, 0)
  if (period === 'week') d.setDate(d.getDate() - ((d.getDay() + 6) % 7))
  if (period === 'month') d.setDate(1)
  const start = d.getTime()
  if (period === 'day') d.setDate(d.getDate() + 1)
  else if (period === 'week') d.setDate(d.getDate() + 7)
  else d.setMonth(d.getMonth() + 1)
  return { start, end: d.getTime() }
}
