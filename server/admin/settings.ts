/**
 * `GET/PUT /api/settings`. GET answers GPT-Load's category list; PUT takes a flat `{key: value}` map, validates all
 * of it (nothing is written when one value is bad) and applies it at once: the proxy reads `settings.get()` on each
 * request, so the next request sees the new values.
 */
import { Elysia, t } from 'elysia'
import { SETTING_DEFS } from '../config/settings-schema'
import type { SettingsService } from '../config/settings'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok } from './envelope'
import { Envelope, SettingsBody, SettingsCategory, type GroupConfigOption } from './schemas'

const CATEGORY_NAMES: Record<string, string> = {
  basic: 'Basic',
  request: 'Requests',
  keys: 'Keys',
  logs: 'Logs',
  alerts: 'Alerts',
}

export const titleOf = (key: string) => key.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')

export function settingsView(settings: SettingsService) {
  const values = settings.get() as Record<string, string | number | boolean>
  const byCategory = new Map<string, SettingsCategory>()
  for (const d of SETTING_DEFS) {
    const name = CATEGORY_NAMES[d.category] ?? d.category
    let cat = byCategory.get(name)
    if (!cat) byCategory.set(name, (cat = { category_name: name, settings: [] }))
    cat.settings.push({
      key: d.key,
      name: titleOf(d.key),
      value: values[d.key] ?? d.default,
      default_value: d.default,
      type: d.type,
      ...(d.min !== undefined ? { min_value: d.min } : {}),
      ...(d.max !== undefined ? { max_value: d.max } : {}),
      group_override: d.group,
      description: d.description,
    })
  }
  return [...byCategory.values()]
}

/** The settings a group's `config` may override (GPT-Load's group form lists them), with the inherited value. */
export function groupConfigOptions(settings: SettingsService): GroupConfigOption[] {
  const values = settings.get() as Record<string, string | number | boolean>
  return SETTING_DEFS.filter((d) => d.group).map((d) => ({
    key: d.key,
    name: titleOf(d.key),
    description: d.description,
    default_value: values[d.key] ?? d.default,
    type: d.type,
    ...(d.min !== undefined ? { min_value: d.min } : {}),
    ...(d.max !== undefined ? { max_value: d.max } : {}),
  }))
}

export function settingsRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.settings', prefix: '/api/settings', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get('/', () => ok(settingsView(deps.settings)), {
      response: Envelope(t.Array(SettingsCategory)),
      detail: { summary: 'Every setting with its value, default and range, by category' },
    })
    .put(
      '/',
      async ({ body }) => {
        await deps.settings.update(body)
        return ok(settingsView(deps.settings))
      },
      {
        body: SettingsBody,
        response: Envelope(t.Array(SettingsCategory)),
        detail: { summary: 'Change settings ({key: value}); applied at once, no restart' },
      },
    )
}
