/** An access key as the proxy checks it: the stored row with its lists compiled once, at load. */
import type { AccessKey } from '../../db/types'
import { parseCidr, parseIp, type Cidr } from '../shared/client-address'
import type { CounterLimits } from './counters'
import { compileGlobs } from './glob'
import { periodBounds } from './period'

export interface CompiledAccessKey {
  row: AccessKey
  groups: ReadonlySet<string> | null
  models: RegExp | null
  cidrs: Cidr[] | null
  /** any counter at all: an unlimited key never touches the counters (nor Redis) */
  limited: boolean
  /** a limit that reads finished answers (TPM, budgets, concurrency leases): only then does an answer's end go to the counters */
  debited: boolean
  /** a token or cost budget: its usage is read from the counters (else from the stats, as an unlimited key's) */
  budgeted: boolean
}

export function compileAccessKey(row: AccessKey): CompiledAccessKey {
  const budgeted = row.token_budget > 0 || row.cost_budget_usd > 0
  const debited = budgeted || row.tpm_limit > 0 || row.max_concurrency > 0
  return {
    row,
    groups: row.groups.length ? new Set(row.groups) : null,
    models: compileGlobs(row.models),
    cidrs: row.ip_allowlist.length ? row.ip_allowlist.map(parseCidr).filter((c): c is Cidr => c !== null) : null,
    limited: debited || row.rpm_limit > 0,
    debited,
    budgeted,
  }
}

export function costMicros(usd: number): number {
  return Math.round(usd * 1_000_000)
}

export function limitsOf(row: AccessKey, now: number): CounterLimits {
  const p = periodBounds(row.budget_period, now)
  return {
    rpm: row.rpm_limit,
    tpm: row.tpm_limit,
    concurrency: row.max_concurrency,
    tokenBudget: row.token_budget,
    costBudgetMicros: costMicros(row.cost_budget_usd),
    periodStart: p.start,
    periodEnd: p.end,
  }
}

export function addressAllowed(k: CompiledAccessKey, address: string): boolean {
  if (!k.cidrs) return true
  const ip = parseIp(address)
  if (!ip) return false
  return k.cidrs.some((c) => {
    if (ip.v6 !== c.v6) return false
    const shift = BigInt((c.v6 ? 128 : 32) - c.prefix)
    return (ip.bits >> shift) << shift === c.net
  })
}
