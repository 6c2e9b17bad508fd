/** USD amounts in the current language: cents for ordinary sums, more digits for the fractions one request costs. */
import { lang } from '../i18n'

const formats = new Map<string, Intl.NumberFormat>()

/**
 * Up to 6 decimals so one cheap request does not read as $0.00; `short` (a stat card) keeps 2 significant digits
 * below a cent instead ($0.000018, $0.0015).
 */
export function fmtUsd(usd: number, opts: { short?: boolean } = {}): string {
  const abs = Math.abs(usd)
  const tiny = opts.short && abs > 0 && abs < 0.01
  const digits = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6
  const id = `${lang()}:${tiny ? 'sig' : digits}`
  let f = formats.get(id)
  if (!f)
    formats.set(
      id,
      (f = new Intl.NumberFormat(
        lang(),
        tiny
          ? { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 }
          : { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits },
      )),
    )
  return f.format(usd)
}

/** Log rows and stats count cost in integer micro-USD. */
export const fmtMicros = (micros: number): string => fmtUsd(micros / 1_000_000)
