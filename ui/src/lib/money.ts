/** USD amounts in the current language: cents for ordinary sums, more digits for the fractions one request costs. */
import { lang } from '../i18n'

const formats = new Map<string, Intl.NumberFormat>()

/** `short`: at most 4 decimals (a stat card), else up to 6 so one cheap request does not read as $0.00. */
export function fmtUsd(usd: number, opts: { short?: boolean } = {}): string {
  const abs = Math.abs(usd)
  const digits = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 || opts.short ? 4 : 6
  const id = `${lang()}:${digits}`
  let f = formats.get(id)
  if (!f) formats.set(id, (f = new Intl.NumberFormat(lang(), { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits })))
  return f.format(usd)
}

/** Log rows and stats count cost in integer micro-USD. */
export const fmtMicros = (micros: number): string => fmtUsd(micros / 1_000_000)
