/**
 * `GET /api/dashboard/encryption-status`: do the stored keys match ENCRYPTION_KEY? GPT-Load's web admin asks this to
 * show a banner. A store opened with the wrong key refuses to start, so a running node mostly answers "no mismatch";
 * what it can still meet is rows written before encryption was turned on, or sealed rows read without a key.
 */
import { identityCipher, isEncrypted } from '../../db/cipher'
import type { AdminDeps } from './deps'
import { hashKey } from './key-text'
import type { EncryptionStatus } from './schemas'

const SAMPLE = 20
const MIGRATE_HINT = 'run `keypool migrate-keys` with every node stopped'

const ok: EncryptionStatus = { has_mismatch: false, scenario_type: '', message: '', suggestion: '' }

export async function encryptionStatus(deps: AdminDeps): Promise<EncryptionStatus> {
  const configured = Boolean(deps.env.encryptionKey)
  let sample
  try {
    sample = (await deps.store.listKeys({ page: 1, page_size: SAMPLE })).items
  } catch {
    // The cipher could not open a sealed value: it was sealed under another key.
    return {
      has_mismatch: true,
      scenario_type: 'key_mismatch',
      message: 'ENCRYPTION_KEY does not match the key the stored keys were encrypted with',
      suggestion: 'set ENCRYPTION_KEY back to the key the keys were encrypted with',
    }
  }
  if (sample.length === 0) return ok
  if (!configured && sample.some((k) => isEncrypted(k.key_value)))
    return {
      has_mismatch: true,
      scenario_type: 'key_not_configured',
      message: 'the stored keys are encrypted but ENCRYPTION_KEY is not set',
      suggestion: 'set ENCRYPTION_KEY to the key the keys were encrypted with',
    }
  if (!configured) return ok
  // Rows written before encryption was turned on: plain value, plain SHA-256 hash, not the store's HMAC.
  const plainRows = sample.filter(
    (k) => !isEncrypted(k.key_value) && k.key_hash === identityCipher.hash(k.key_value) && k.key_hash !== hashKey(deps.store, k.key_value),
  )
  if (plainRows.length > 0)
    return {
      has_mismatch: true,
      scenario_type: 'data_not_encrypted',
      message: 'ENCRYPTION_KEY is set but some stored keys are not encrypted',
      suggestion: `encrypt them: ${MIGRATE_HINT}`,
    }
  return ok
}
