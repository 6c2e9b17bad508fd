/** The writable columns of an access key, shared by both stores so a patch never writes id or timestamps. */
import type { AccessKeyPatch } from './types'

const FIELDS = [
  'name', 'key_prefix', 'key_hash', 'enabled', 'expires_at', 'groups', 'models', 'ip_allowlist', 'rpm_limit',
  'tpm_limit', 'max_concurrency', 'token_budget', 'cost_budget_usd', 'budget_period', 'notes',
] as const satisfies readonly (keyof AccessKeyPatch)[]

export function accessKeyPatch(patch: AccessKeyPatch): AccessKeyPatch {
  const out: Record<string, unknown> = {}
  for (const f of FIELDS) if (patch[f] !== undefined) out[f] = patch[f]
  return out as AccessKeyPatch
}
