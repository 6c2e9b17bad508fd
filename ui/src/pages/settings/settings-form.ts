/** Settings form logic: text drafts per setting, checks that mirror the server's, and the changed-values diff. */
import type { SettingItem } from '../../api/types'
import { t } from '../../i18n'

export type Draft = Record<string, string | boolean>

export const draftOf = (items: SettingItem[]): Draft =>
  Object.fromEntries(items.map((s) => [s.key, s.type === 'bool' ? Boolean(s.value) : String(s.value)]))

/** The error text for one field, or '' when it is fine. */
export function checkSetting(s: SettingItem, raw: string | boolean): string {
  // The server stores any string, but group endpoints are built on app_url: a non-URL would show broken addresses.
  if (s.key === 'app_url') return String(raw).trim() === '' || /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(String(raw).trim()) ? '' : t('settings.mustUrl')
  if (s.type !== 'int') return ''
  const text = String(raw).trim()
  if (!/^-?\d+$/.test(text)) return t('settings.mustInt')
  const n = Number(text)
  if (s.min_value !== undefined && n < s.min_value) return t('settings.min', { n: s.min_value })
  if (s.max_value !== undefined && n > s.max_value) return t('settings.max', { n: s.max_value })
  return ''
}

/** Only what changed, typed as the server expects. */
export function changedValues(items: SettingItem[], draft: Draft): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const s of items) {
    const raw = draft[s.key]
    if (raw === undefined) continue
    const value = s.type === 'int' ? Number(String(raw).trim()) : s.type === 'bool' ? Boolean(raw) : String(raw)
    if (value !== s.value) out[s.key] = value
  }
  return out
}

/** Server messages name the setting first ("max_retries must be at most 100"): put them under that field. */
export function fieldOfMessage(items: SettingItem[], message: string): string | undefined {
  return items.find((s) => message.startsWith(s.key + ' ') || message.startsWith(s.key + ':'))?.key
}
