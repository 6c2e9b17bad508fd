/** Key actions that need more than one call: testing and copying need the full values, which the list masks. */
import { api } from '../../api/client'
import type { KeyView } from '../../api/types'
import { t } from '../../i18n'
import { copyText } from '../../lib/clipboard'
import { confirmAction } from '../../lib/confirm'
import { fmtInt } from '../../lib/format'
import { attempt, toast } from '../../lib/toast'
import type { KeysData } from './keys.data'

async function revealAll(keys: readonly KeyView[]): Promise<string[]> {
  const values: string[] = []
  // A few at a time: each reveal is one small request, logged by the server.
  for (let i = 0; i < keys.length; i += 8) {
    const batch = await Promise.all(keys.slice(i, i + 8).map((k) => api.keys.reveal(k.id)))
    values.push(...batch.map((r) => r.key_value))
  }
  return values
}

export async function testKeys(groupId: number, keys: readonly KeyView[], data: KeysData): Promise<void> {
  const result = await attempt(async () => api.keys.test(groupId, (await revealAll(keys)).join('\n')))
  if (!result) return
  const valid = result.results.filter((r) => r.is_valid).length
  const failed = result.results.filter((r) => !r.is_valid)
  const detail = failed.length && failed[0]?.error ? ` (${failed[0].error})` : ''
  toast(failed.length ? 'error' : 'success', t('keys.testResult', { valid: fmtInt(valid), invalid: fmtInt(failed.length) }) + detail)
  data.refresh()
}

export async function copyFullKey(key: KeyView): Promise<void> {
  const revealed = await attempt(() => api.keys.reveal(key.id))
  if (revealed) await copyText(revealed.key_value)
}

export async function deleteKeys(groupId: number, ids: readonly number[], data: KeysData): Promise<void> {
  if (!(await confirmAction(t('keys.deleteConfirm', { n: fmtInt(ids.length) })))) return
  const result = await attempt(() => api.keys.deleteMultiple({ group_id: groupId, key_ids: [...ids] }), (r) =>
    t('keys.deleted', { n: fmtInt(r.deleted_count) }),
  )
  if (result) data.dropRows(ids)
  data.refresh()
}

export async function restoreKeys(groupId: number, ids: readonly number[], data: KeysData): Promise<void> {
  await attempt(() => api.keys.restoreMultiple({ group_id: groupId, key_ids: [...ids] }), (r) =>
    t('keys.restored', { n: fmtInt(r.restored_count) }),
  )
  data.refresh()
}

export async function editNotes(key: KeyView, notes: string, data: KeysData): Promise<void> {
  await attempt(() => api.keys.setNotes(key.id, notes))
  data.refresh()
}
