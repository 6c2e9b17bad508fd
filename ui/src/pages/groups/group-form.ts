/**
 * The group form's state: editable rows for the list-like fields, JSON text for free-form ones, and the
 * conversion to the API's GroupInput with client-side checks (the server checks again and names the field).
 */
import type { ChannelTypeInfo, GroupInput, GroupView } from '../../api/types'
import { t } from '../../i18n'

export interface Row<T> {
  id: number
  value: T
}
let rowId = 0
export const row = <T>(value: T): Row<T> => ({ id: ++rowId, value })

export interface GroupFormState {
  name: string
  display_name: string
  description: string
  group_type: 'standard' | 'aggregate'
  channel_type: string
  upstreams: Row<{ url: string; weight: number }>[]
  test_model: string
  validation_endpoint: string
  proxy_keys: string
  header_rules: Row<{ key: string; value: string; action: 'set' | 'remove' }>[]
  param_overrides: string
  redirects: Row<{ from: string; to: string }>[]
  model_redirect_strict: boolean
  /** setting key -> text typed (empty = use the system value) */
  config: Record<string, string>
  /** aggregate groups only: standard groups of the same channel type, their weights and priority tiers */
  sub_groups: Row<{ group_id: number; weight: number; priority: number }>[]
  /** model routing: globs as typed (one per line or comma separated), tier and weight inside the tier */
  models: string
  priority: number
  weight: number
}

export type FormErrors = Partial<Record<keyof GroupFormState | 'upstream_url', string>>

export function emptyForm(channelType = 'openai', upstream = ''): GroupFormState {
  return {
    name: '',
    display_name: '',
    description: '',
    group_type: 'standard',
    channel_type: channelType,
    upstreams: [row({ url: upstream, weight: 1 })],
    test_model: '',
    validation_endpoint: '',
    proxy_keys: '',
    header_rules: [],
    param_overrides: '',
    redirects: [],
    model_redirect_strict: false,
    config: {},
    sub_groups: [],
    models: '',
    priority: 1,
    weight: 1,
  }
}

export function formFromGroup(g: GroupView): GroupFormState {
  return {
    name: g.name,
    display_name: g.display_name,
    description: g.description,
    group_type: g.group_type,
    channel_type: g.channel_type,
    upstreams: g.upstreams.map((u) => row({ ...u })),
    test_model: g.test_model,
    validation_endpoint: g.validation_endpoint,
    proxy_keys: g.proxy_keys,
    header_rules: g.header_rules.map((h) => row({ key: h.key, value: h.value, action: h.action === 'remove' ? 'remove' : 'set' })),
    param_overrides: Object.keys(g.param_overrides).length ? JSON.stringify(g.param_overrides, null, 2) : '',
    redirects: Object.entries(g.model_redirect_rules).map(([from, to]) => row({ from, to })),
    model_redirect_strict: g.model_redirect_strict,
    config: Object.fromEntries(Object.entries(g.config).map(([k, v]) => [k, String(v)])),
    sub_groups: g.sub_groups.map((s) => row({ group_id: s.group_id, weight: s.weight, priority: s.priority ?? 1 })),
    models: g.models.join('\n'),
    priority: g.priority,
    weight: g.weight,
  }
}

/**
 * What choosing channel type `next` changes: the upstream URL and test model take the new defaults where they are
 * still empty or still hold the previous type's untouched default. Fields the user typed are left alone.
 */
export function channelDefaults(
  f: Pick<GroupFormState, 'upstreams' | 'test_model'>,
  prev: ChannelTypeInfo | undefined,
  next: ChannelTypeInfo | undefined,
): { upstream_url?: string; test_model?: string } {
  if (!next) return {}
  const untouched = (value: string, prevDefault: string | undefined) => value.trim() === '' || value === prevDefault
  const out: { upstream_url?: string; test_model?: string } = {}
  const only = f.upstreams.length === 1 ? f.upstreams[0]!.value.url : null
  if ((f.upstreams.length === 0 || (only !== null && untouched(only, prev?.default_upstream))) && next.default_upstream)
    out.upstream_url = next.default_upstream
  if (untouched(f.test_model, prev?.default_test_model) && next.default_test_model) out.test_model = next.default_test_model
  return out
}

const NAME_RE = /^[a-z0-9_-]{1,100}$/

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Converts the form; answers the errors instead when a field is wrong. `channelOf` gives a group's channel type
 * (sub-groups must share the aggregate's). An aggregate sends no upstream or validation fields: they do not apply.
 */
export function toGroupInput(f: GroupFormState, channelOf: (groupId: number) => string | undefined = () => undefined): { input: GroupInput } | { errors: FormErrors } {
  const errors: FormErrors = {}
  const standard = f.group_type === 'standard'
  if (!NAME_RE.test(f.name)) errors.name = t('form.badName')
  const upstreams = f.upstreams.map((r) => r.value).filter((u) => u.url.trim() !== '')
  if (standard && upstreams.length === 0) errors.upstreams = t('form.noUpstream')
  if (standard && upstreams.some((u) => !isHttpUrl(u.url.trim()))) errors.upstream_url = t('form.badUrl')
  const subGroups = f.sub_groups.map((r) => ({
    group_id: r.value.group_id,
    weight: Math.max(0, Math.trunc(Number(r.value.weight) || 0)),
    priority: Math.max(1, Math.trunc(Number(r.value.priority) || 1)),
  }))
  const priority = Number(f.priority)
  if (!Number.isInteger(priority) || priority < 1 || priority > 100) errors.priority = t('form.badPriority')
  if (!standard) {
    const foreign = subGroups.find((s) => channelOf(s.group_id) !== undefined && channelOf(s.group_id) !== f.channel_type)
    if (subGroups.length === 0) errors.sub_groups = t('form.noSubGroup')
    else if (subGroups.every((s) => s.weight === 0)) errors.sub_groups = t('form.subGroupWeights')
    else if (foreign) errors.sub_groups = t('form.subGroupChannel', { channel: f.channel_type })
  }
  let paramOverrides: Record<string, unknown> = {}
  if (f.param_overrides.trim()) {
    try {
      const parsed: unknown = JSON.parse(f.param_overrides)
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('{…}')
      paramOverrides = parsed as Record<string, unknown>
    } catch (err) {
      errors.param_overrides = t('form.invalidJson', { message: err instanceof Error ? err.message : String(err) })
    }
  }
  if (Object.keys(errors).length) return { errors }

  const config: Record<string, string> = {}
  for (const [k, v] of Object.entries(f.config)) if (v.trim() !== '') config[k] = v.trim()
  return {
    input: {
      name: f.name,
      display_name: f.display_name.trim(),
      description: f.description.trim(),
      group_type: f.group_type,
      channel_type: f.channel_type,
      ...(standard
        ? {
            upstreams: upstreams.map((u) => ({ url: u.url.trim(), weight: Number.isFinite(Number(u.weight)) ? Number(u.weight) : 1 })),
            test_model: f.test_model.trim(),
            validation_endpoint: f.validation_endpoint.trim(),
          }
        : { sub_groups: subGroups }),
      proxy_keys: f.proxy_keys.trim(),
      header_rules: f.header_rules.map((r) => r.value).filter((h) => h.key.trim() !== ''),
      param_overrides: paramOverrides,
      model_redirect_rules: Object.fromEntries(
        f.redirects.map((r) => r.value).filter((r) => r.from.trim() && r.to.trim()).map((r) => [r.from.trim(), r.to.trim()]),
      ),
      model_redirect_strict: f.model_redirect_strict,
      // The server coerces and range-checks each override against the setting's definition.
      config,
      models: f.models.split(/[\s,]+/).map((m) => m.trim()).filter(Boolean),
      priority,
      weight: Math.max(0, Math.trunc(Number(f.weight) || 0)),
    },
  }
}
