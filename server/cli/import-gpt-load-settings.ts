/**
 * Settings phase: GPT-Load's system settings that keypool knows are written where keypool has no value of its
 * own yet (a value set in keypool wins, so a second run changes nothing). Proxy keys are merged instead: every
 * GPT-Load proxy key keypool lacks is added to `proxy_keys`, keeping the ones keypool has.
 */
import { SettingsService } from '../config/settings'
import { SETTING_BY_KEY } from '../config/settings-schema'
import { ApiError } from '../shared/errors'
import { type ImportContext, pages, presentColumns } from './import-gpt-load-context'
import { splitProxyKeys, text } from './import-gpt-load-map'

export async function importSettings(ctx: ImportContext): Promise<void> {
  const cols = await presentColumns(ctx, 'system_settings', ['id', 'setting_key', 'setting_value'])
  const rows: Record<string, unknown>[] = []
  if (cols.includes('setting_key')) for await (const page of pages(ctx, 'system_settings', cols, ['id'])) rows.push(...page)
  ctx.progress.start('settings', rows.length)
  const settings = new SettingsService(ctx.store)
  await settings.load()
  const stored = await ctx.store.getSettings()
  const unknown: string[] = []
  const kept: string[] = []
  for (const row of rows) {
    const key = text(row.setting_key).trim()
    const value = text(row.setting_value)
    ctx.progress.advance()
    if (key === 'proxy_keys') {
      await mergeProxyKeys(ctx, settings, value)
      continue
    }
    const def = SETTING_BY_KEY.get(key)
    if (!def) {
      unknown.push(key)
      ctx.summary.settings.skipped++
      continue
    }
    if (stored[key] !== undefined) {
      if (String(settings.get()[key as keyof ReturnType<typeof settings.get>]) !== value.trim()) kept.push(key)
      ctx.summary.settings.skipped++
      continue
    }
    try {
      await settings.update({ [key]: value })
      ctx.summary.settings.imported++
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      ctx.summary.settings.failed++
      ctx.notes.push(`setting ${key} not imported: ${err.message}`)
    }
  }
  ctx.progress.finish()
  if (kept.length > 0) ctx.notes.push(`settings already set in keypool, kept as they are: ${kept.join(', ')}`)
  if (unknown.length > 0) ctx.notes.push(`GPT-Load settings keypool does not have, left out: ${unknown.join(', ')}`)
}

async function mergeProxyKeys(ctx: ImportContext, settings: SettingsService, value: string): Promise<void> {
  const current = splitProxyKeys(settings.get().proxy_keys)
  const missing = splitProxyKeys(value).filter((k, i, all) => !current.includes(k) && all.indexOf(k) === i)
  if (missing.length === 0) {
    ctx.summary.settings.skipped++
    return
  }
  await settings.update({ proxy_keys: [...current, ...missing].join(',') })
  ctx.summary.settings.imported++
  ctx.notes.push(`${missing.length} GPT-Load proxy key(s) added to proxy_keys`)
}
