/** Number, time and duration formatting in the current language. */
import { lang, t } from '../i18n'

const numberFormats = new Map<string, Intl.NumberFormat>()
function nf(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const id = lang() + JSON.stringify(options)
  let f = numberFormats.get(id)
  if (!f) numberFormats.set(id, (f = new Intl.NumberFormat(lang(), options)))
  return f
}

export const fmtInt = (n: number): string => nf().format(n)
export const fmtCompact = (n: number): string =>
  Math.abs(n) < 10_000 ? fmtInt(n) : nf({ notation: 'compact', maximumFractionDigits: 1 }).format(n)
export const fmtPercent = (ratio: number): string => nf({ style: 'percent', maximumFractionDigits: 2 }).format(ratio)

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

/** Month, day and time: fits a table column. */
export function fmtShortTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(lang(), {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  })
}

export function fmtDateTime(epochMs: number | null | undefined): string {
  if (!epochMs) return t('common.never')
  return new Date(epochMs).toLocaleString(lang(), { hour12: false })
}

/** "3 min. ago" style (short, so "49 seconds ago" never truncates in a column); falls back to a date past a week. */
export function fmtAgo(epochMs: number | null | undefined, now = Date.now()): string {
  if (!epochMs) return t('common.never')
  const seconds = Math.round((epochMs - now) / 1000)
  const rtf = new Intl.RelativeTimeFormat(lang(), { numeric: 'auto', style: 'short' })
  const abs = Math.abs(seconds)
  if (abs < 60) return rtf.format(seconds, 'second')
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day')
  return fmtDateTime(epochMs)
}
