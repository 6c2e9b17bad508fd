/** Dashboard warnings about weak secrets and plain-text key storage. Messages never include the secret itself. */
import type { SecurityWarning } from './schemas'

const COMMON = new Set(['sk-123456', '123456', '12345678', 'password', 'admin', 'changeme', 'secret', 'test', 'sk-test'])

/** Why a secret is weak, or null when it looks strong enough. */
export function weakSecretReason(secret: string): string | null {
  if (COMMON.has(secret.toLowerCase())) return 'is a well-known default'
  if (secret.length < 16) return `is only ${secret.length} characters long`
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(secret)).length
  if (secret.length < 32 && classes < 3) return 'uses too few kinds of characters for its length'
  if (new Set(secret).size < 6) return 'repeats too few distinct characters'
  return null
}

export function securityWarnings(opts: { authKey: string; proxyKeys: string; encrypted: boolean }): SecurityWarning[] {
  const out: SecurityWarning[] = []
  const admin = weakSecretReason(opts.authKey)
  if (admin)
    out.push({
      type: 'weak_auth_key',
      message: `The admin key (AUTH_KEY) ${admin}.`,
      severity: 'high',
      suggestion: 'Set AUTH_KEY to a random string of 32+ characters, e.g. from `openssl rand -base64 32`.',
    })
  const keys = opts.proxyKeys.split(/[\s,]+/).filter((k) => k !== '')
  keys.forEach((k, i) => {
    const why = weakSecretReason(k)
    if (why)
      out.push({
        type: 'weak_proxy_key',
        message: `Proxy key #${i + 1} in proxy_keys ${why}.`,
        severity: 'medium',
        suggestion: 'Replace it with a long random key in Settings > proxy_keys.',
      })
  })
  if (!opts.encrypted)
    out.push({
      type: 'keys_not_encrypted',
      message: 'Upstream keys are stored in plain text in the database.',
      severity: 'low',
      suggestion: 'Set ENCRYPTION_KEY to encrypt keys at rest (AES-256-GCM).',
    })
  return out
}
