/**
 * The access-key form's state (text as typed) and its conversion to the API body, with the checks the server
 * makes again (it names the field in a 400). Lists are one entry a line; limits are whole numbers, 0 = none.
 */
import { t } from '../../i18n'
import type { AccessKeyCreate, AccessKeyView, BudgetPeriod } from '../../api/types'

export interface AccessKeyFormState {
  name: string
  notes: string
  enabled: boolean
  /** datetime-local value (local time); empty = never */
  expires_at: string
  groups: string[]
  models: string
  ip_allowlist: string
  rpm_limit: string
  tpm_limit: string
  max_concurrency: string
  token_budget: string
  cost_budget_usd: string
  budget_period: BudgetPeriod
}

export type AccessKeyFormErrors = Partial<Record<keyof AccessKeyFormState, string>>

export const PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month', 'total']
const INT_FIELDS = ['rpm_limit', 'tpm_limit', 'max_concurrency', 'token_budget'] as const

export function emptyAccessKeyForm(): AccessKeyFormState {
  return {
    name: '',
    notes: '',
    enabled: true,
    expires_at: '',
    groups: [],
    models: '',
    ip_allowlist: '',
    rpm_limit: '0',
    tpm_limit: '0',
    max_concurrency: '0',
    token_budget: '0',
    cost_budget_usd: '0',
    budget_period: 'month',
  }
}

/** An epoch-ms instant as a datetime-local value in the browser's time zone. */
export function toLocalInput(epochMs: number | null): string {
  if (!epochMs) return ''
  const d = new Date(epochMs)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function formFromAccessKey(k: AccessKeyView): AccessKeyFormState {
  return {
    name: k.name,
    notes: k.notes,
    enabled: k.enabled,
    expires_at: toLocalInput(k.expires_at),
    groups: [...k.groups],
    models: k.models.join('\n'),
    ip_allowlist: k.ip_allowlist.join('\n'),
    rpm_limit: String(k.rpm_limit),
    tpm_limit: String(k.tpm_limit),
    max_concurrency: String(k.max_concurrency),
    token_budget: String(k.token_budget),
    cost_budget_usd: String(k.cost_budget_usd),
    budget_period: k.budget_period,
  }
}

/** One entry a line (commas too), blanks dropped, duplicates once. */
export const linesOf = (text: string): string[] => [...new Set(text.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean))]

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
/** A plain IPv4/IPv6 address or a CIDR range with a prefix length that fits it. */
export function isAddressOrCidr(entry: string): boolean {
  const [addr = '', prefix, extra] = entry.split('/')
  if (extra !== undefined) return false
  const v4 = IPV4.test(addr)
  const v6 = !v4 && addr.includes(':') && /^[0-9a-f:.]+$/i.test(addr) && addr.split('::').length <= 2
  if (!v4 && !v6) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128)
}

export function toAccessKeyInput(f: AccessKeyFormState): { input: Required<AccessKeyCreate> } | { errors: AccessKeyFormErrors } {
  const errors: AccessKeyFormErrors = {}
  const name = f.name.trim()
  if (name.length < 1 || name.length > 100) errors.name = t('ak.err.name')
  const ints = {} as Record<(typeof INT_FIELDS)[number], number>
  for (const key of INT_FIELDS) {
    const text = f[key].trim() || '0'
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) errors[key] = t('ak.err.wholeNumber')
    ints[key] = Number(text)
  }
  const costText = f.cost_budget_usd.trim() || '0'
  const cost = Number(costText)
  if (!/^\d+(\.\d+)?$/.test(costText) || !Number.isFinite(cost)) errors.cost_budget_usd = t('ak.err.amount')
  const ips = linesOf(f.ip_allowlist)
  const badIp = ips.find((ip) => !isAddressOrCidr(ip))
  if (badIp) errors.ip_allowlist = t('ak.err.cidr', { value: badIp })
  let expires: number | null = null
  if (f.expires_at) {
    expires = new Date(f.expires_at).getTime()
    if (!Number.isFinite(expires)) errors.expires_at = t('ak.err.date')
  }
  if (Object.keys(errors).length) return { errors }
  return {
    input: {
      name,
      notes: f.notes.trim(),
      enabled: f.enabled,
      expires_at: expires,
      groups: [...f.groups],
      models: linesOf(f.models),
      ip_allowlist: ips,
      ...ints,
      cost_budget_usd: cost,
      budget_period: f.budget_period,
    },
  }
}
