/** USD amounts in the current language: cents for ordinary sums, more digits for the fractions one request costs. */
import { lang } from '../i18n'

const formats = new Map<string, Intl.NumberFormat>()

export function fmtUsd(usd: number): string {
  const abs = Math.abs(usd)
  const digits = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6
  const id = `${lang()}:${digits}`
  let f = formats.get(id)
  if (!f) formats.set(id, (f = new Intl.NumberFormat(lang(), { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits })))
  return f.format(usd)
}

/** Log rows and stats count cost in integer micro-USD. */
export const fmtMicros = (micros: number): string => fmtUsd(micros / 1_000_000)
