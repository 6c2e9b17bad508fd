/**
 * Dynamic settings: DB-backed values over the defaults of settings-schema.ts, cached in memory so the hot path
 * reads a plain object. `update` validates everything first and writes nothing when one value is bad.
 * Group `config` overrides are resolved group > system by `forGroup`.
 * Secret settings (`proxy_keys`, `alert_webhooks`) are sealed with the store's key cipher, so with ENCRYPTION_KEY they are encrypted at
 * rest like the pool keys; a value stored before encryption was on still reads, and is sealed at the next load.
 */
import { identityCipher, isEncrypted } from '../../db/cipher'
import type { KeyCipher, Store } from '../../db/types'
import { validationError } from '../shared/errors'
import { parseAlertWebhooks } from './alert-webhooks'
import { SETTING_BY_KEY, SETTING_DEFS, type SettingDef, type SettingValues } from './settings-schema'

/** Settings that hold secrets: encrypted at rest when ENCRYPTION_KEY is set (webhook URLs carry their receiver's token). */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set(['proxy_keys', 'alert_webhooks'])

/** 'local' = changed through this node's API; 'remote' = reloaded (start-up or another node's change). */
type Listener = (values: SettingValues, origin: 'local' | 'remote') => void

export function defaultSettings(): SettingValues {
  return Object.fromEntries(SETTING_DEFS.map((d) => [d.key, d.default])) as SettingValues
}

/** Coerce + range-check one value; throws a VALIDATION_ERROR naming the setting. */
export function coerceSetting(def: SettingDef, raw: unknown): number | boolean | string {
  if (def.type === 'int') {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
    if (typeof n !== 'number' || !Number.isInteger(n)) throw validationError(`${def.key} must be an integer`)
    if (def.min !== undefined && n < def.min) throw validationError(`${def.key} must be at least ${def.min}`)
    if (def.max !== undefined && n > def.max) throw validationError(`${def.key} must be at most ${def.max}`)
    return n
  }
  if (def.type === 'bool') {
    if (typeof raw === 'boolean') return raw
    if (raw === 'true' || raw === 'false') return raw === 'true'
    throw validationError(`${def.key} must be true or false`)
  }
  if (typeof raw !== 'string') throw validationError(`${def.key} must be a string`)
  return raw.trim()
}

/** Validate a partial map of settings; unknown keys are an error so typos are not silently lost. */
export function validateSettings(input: Record<string, unknown>, groupOnly = false): Partial<SettingValues> {
  const out: Record<string, unknown> = {}
  for (const [key, raw] of Object.entries(input)) {
    const def = SETTING_BY_KEY.get(key)
    if (!def) throw validationError(`unknown setting: ${key}`)
    if (groupOnly && !def.group) throw validationError(`${key} cannot be overridden per group`)
    // the webhook list may come as the list itself or as its JSON text; it is stored as canonical JSON text
    out[key] = key === 'alert_webhooks' ? JSON.stringify(parseAlertWebhooks(raw)) : coerceSetting(def, raw)
  }
  if (typeof out.failover_status_codes === 'string') parseStatusRanges(out.failover_status_codes)
  for (const key of ['app_url', 'proxy_url'] as const) {
    const v = out[key]
    if (typeof v === 'string' && v !== '' && !isHttpUrl(v)) throw validationError(`${key} must be an http(s) URL or empty`)
  }
  return out as Partial<SettingValues>
}

function isHttpUrl(v: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol)
  } catch {
    return false
  }
}

/** GPT-Load's `400-403,405-999` syntax. Returns a predicate; throws VALIDATION_ERROR on bad syntax. */
export function parseStatusRanges(spec: string): ((status: number) => boolean) | null {
  const trimmed = spec.trim()
  if (trimmed === '') return null
  const ranges: [number, number][] = []
  for (const part of trimmed.split(',')) {
    const m = /^\s*(\d{3})\s*(?:-\s*(\d{3}))?\s*$/.exec(part)
    if (!m) throw validationError(`failover_status_codes: bad range "${part.trim()}"`)
    const lo = Number(m[1])
    const hi = m[2] ? Number(m[2]) : lo
    if (lo > hi) throw validationError(`failover_status_codes: bad range "${part.trim()}"`)
    ranges.push([lo, hi])
  }
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi)
}

export class SettingsService {
  private values: SettingValues = defaultSettings()
  private listeners: Listener[] = []

  constructor(
    private readonly store: Store,
    private readonly cipher: KeyCipher = identityCipher,
  ) {}

  /** the stored form of a setting's JSON */
  private seal(key: string, json: string): string {
    return SECRET_SETTINGS.has(key) ? this.cipher.encrypt(json) : json
  }

  /** Load from the store; seeds `proxy_keys` with the admin key on first start (as GPT-Load does). */
  async load(initialProxyKeys?: string): Promise<void> {
    const stored = await this.store.getSettings()
    if (initialProxyKeys !== undefined && stored.proxy_keys === undefined) {
      stored.proxy_keys = this.seal('proxy_keys', JSON.stringify(initialProxyKeys))
      await this.store.putSettings({ proxy_keys: stored.proxy_keys })
    }
    const next = defaultSettings() as Record<string, unknown>
    const reseal: Record<string, string> = {}
    for (const [key, raw] of Object.entries(stored)) {
      const def = SETTING_BY_KEY.get(key)
      if (!def) continue
      // a wrong ENCRYPTION_KEY throws here and stops start-up, as it does for the pool keys
      const json = SECRET_SETTINGS.has(key) ? this.cipher.decrypt(raw) : raw
      if (SECRET_SETTINGS.has(key) && !isEncrypted(raw)) {
        const sealed = this.seal(key, json)
        if (sealed !== json) reseal[key] = sealed
      }
      try {
        next[key] = coerceSetting(def, JSON.parse(json))
      } catch {
        // A stored value that no longer validates keeps the default rather than stopping the server.
      }
    }
    if (Object.keys(reseal).length > 0) await this.store.putSettings(reseal)
    this.values = next as SettingValues
    this.emit('remote')
  }

  get(): SettingValues {
    return this.values
  }

  /** Resolve group overrides over the system values (group > system). */
  forGroup(config: Record<string, unknown> | undefined): SettingValues {
    if (!config || Object.keys(config).length === 0) return this.values
    const merged = { ...this.values } as Record<string, unknown>
    for (const [key, raw] of Object.entries(config)) {
      const def = SETTING_BY_KEY.get(key)
      if (!def?.group) continue
      try {
        merged[key] = coerceSetting(def, raw)
      } catch {
        // validated on write; an old bad value falls back to the system value
      }
    }
    return merged as SettingValues
  }

  async update(input: Record<string, unknown>): Promise<SettingValues> {
    const valid = validateSettings(input)
    const encoded = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, this.seal(k, JSON.stringify(v))]))
    await this.store.putSettings(encoded)
    this.values = { ...this.values, ...valid }
    this.emit('local')
    return this.values
  }

  onChange(listener: Listener): () => void {
    this.listeners.push(listener)
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }

  private emit(origin: 'local' | 'remote') {
    for (const l of this.listeners) l(this.values, origin)
  }
}
