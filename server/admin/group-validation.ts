/**
 * Checks a group create/update body field by field; every message names the field it is about.
 * Returns the normalised patch. Cross-record rules (name taken, sub-groups exist) are checked in groups-service.ts.
 */
import type { HeaderRule, NewGroup, SubGroupRef, Upstream } from '../../db/types'
import { getChannel, isChannelType } from '../channels'
import { CHANNEL_TYPES } from '../channels/types'
import { validateSettings } from '../config/settings'
import { ApiError, validationError } from '../shared/errors'
import { groupWeightOf, modelsOf, priorityOf } from './group-routing-validation'
import type { GroupInput } from './schemas'

export const GROUP_NAME_RE = /^[a-z0-9_-]{1,100}$/
// RFC 9110 section 5.6.2: a field name is a token.
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function maxLen(field: string, value: string, max: number): string {
  if (value.length > max) throw validationError(`${field} must be at most ${max} characters`)
  return value
}

function upstreamsOf(raw: unknown): Upstream[] {
  if (!Array.isArray(raw)) throw validationError('upstreams must be an array of {url, weight}')
  const out = raw.map((u, i): Upstream => {
    if (!isPlainObject(u)) throw validationError(`upstreams[${i}] must be an object {url, weight}`)
    let url: URL | null = null
    try {
      url = typeof u.url === 'string' ? new URL(u.url.trim()) : null
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw validationError(`upstreams[${i}].url must be an http(s) URL`)
    const weight = u.weight ?? 1
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 1000)
      throw validationError(`upstreams[${i}].weight must be an integer from 0 to 1000`)
    return { url: (u.url as string).trim().replace(/\/+$/, ''), weight }
  })
  return out
}

function headerRulesOf(raw: unknown): HeaderRule[] {
  if (!Array.isArray(raw)) throw validationError('header_rules must be an array of {key, value, action}')
  return raw.map((r, i): HeaderRule => {
    if (!isPlainObject(r)) throw validationError(`header_rules[${i}] must be an object {key, value, action}`)
    if (typeof r.key !== 'string' || !HEADER_NAME_RE.test(r.key.trim()))
      throw validationError(`header_rules[${i}].key must be a valid header name`)
    if (r.action !== 'set' && r.action !== 'remove')
      throw validationError(`header_rules[${i}].action must be set or remove`)
    const value = r.value ?? ''
    if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      throw validationError(`header_rules[${i}].value must be a string without line breaks`)
    return { key: r.key.trim(), value, action: r.action }
  })
}

function subGroupsOf(raw: unknown): SubGroupRef[] {
  if (!Array.isArray(raw)) throw validationError('sub_groups must be an array of {group_id, weight}')
  return raw.map((s, i): SubGroupRef => {
    if (!isPlainObject(s) || typeof s.group_id !== 'number' || !Number.isInteger(s.group_id))
      throw validationError(`sub_groups[${i}].group_id must be a group id`)
    const weight = s.weight ?? 1
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 1000)
      throw validationError(`sub_groups[${i}].weight must be an integer from 0 to 1000`)
    const priority = s.priority === undefined ? 1 : priorityOf(`sub_groups[${i}].priority`, s.priority)
    return { group_id: s.group_id, weight, priority }
  })
}

/**
 * Validate `input`; `base` is the stored group on update (so rules that span fields see the result), null on create.
 */
export function validateGroupInput(input: GroupInput, base: NewGroup | null): Partial<NewGroup> {
  const out: Partial<NewGroup> = {}
  if (input.name !== undefined || !base) {
    const name = (input.name ?? '').trim()
    if (!GROUP_NAME_RE.test(name))
      throw validationError('name must be 1-100 characters of lowercase letters, digits, _ or - (^[a-z0-9_-]{1,100}$)')
    out.name = name
  }
  if (input.display_name !== undefined) out.display_name = maxLen('display_name', input.display_name.trim(), 100)
  if (input.description !== undefined) out.description = maxLen('description', input.description, 1000)
  if (input.group_type !== undefined) {
    if (input.group_type !== 'standard' && input.group_type !== 'aggregate')
      throw validationError('group_type must be standard or aggregate')
    out.group_type = input.group_type
  }
  if (input.channel_type !== undefined || !base) {
    if (!isChannelType(input.channel_type))
      throw validationError(`channel_type must be one of ${CHANNEL_TYPES.join(', ')}`)
    out.channel_type = input.channel_type
  }
  if (input.upstreams !== undefined) out.upstreams = upstreamsOf(input.upstreams)
  if (input.test_model !== undefined) out.test_model = maxLen('test_model', input.test_model.trim(), 200)
  if (input.validation_endpoint !== undefined) {
    const ep = input.validation_endpoint.trim()
    if (ep !== '' && !ep.startsWith('/')) throw validationError('validation_endpoint must start with /')
    out.validation_endpoint = ep
  }
  if (input.param_overrides !== undefined) {
    if (!isPlainObject(input.param_overrides)) throw validationError('param_overrides must be a JSON object')
    out.param_overrides = input.param_overrides
  }
  if (input.model_redirect_rules !== undefined) {
    const rules = input.model_redirect_rules
    if (!isPlainObject(rules)) throw validationError('model_redirect_rules must be a JSON object of model -> model')
    for (const [from, to] of Object.entries(rules))
      if (typeof to !== 'string' || to.trim() === '' || from.trim() === '')
        throw validationError(`model_redirect_rules.${from} must map to a model name`)
    out.model_redirect_rules = rules as Record<string, string>
  }
  if (input.model_redirect_strict !== undefined) out.model_redirect_strict = input.model_redirect_strict
  if (input.header_rules !== undefined) out.header_rules = headerRulesOf(input.header_rules)
  if (input.config !== undefined) {
    if (!isPlainObject(input.config)) throw validationError('config must be a JSON object')
    try {
      out.config = validateSettings(input.config, true) as Record<string, unknown>
    } catch (err) {
      if (err instanceof ApiError) throw validationError(`config: ${err.message}`)
      throw err
    }
  }
  if (input.proxy_keys !== undefined) out.proxy_keys = input.proxy_keys.trim()
  if (input.sub_groups !== undefined) out.sub_groups = subGroupsOf(input.sub_groups)
  if (input.sort !== undefined) out.sort = input.sort
  if (input.models !== undefined) out.models = modelsOf(input.models)
  if (input.priority !== undefined) out.priority = priorityOf('priority', input.priority)
  if (input.weight !== undefined) out.weight = groupWeightOf(input.weight)

  // Rules across fields, on the group as it will be stored.
  const groupType = out.group_type ?? base?.group_type ?? 'standard'
  const upstreams = out.upstreams ?? base?.upstreams ?? []
  if (groupType === 'standard') {
    if (upstreams.length === 0) throw validationError('upstreams must list at least one http(s) URL')
    if (upstreams.every((u) => u.weight === 0)) throw validationError('upstreams: at least one weight must be above 0')
  } else {
    const subs = out.sub_groups ?? base?.sub_groups ?? []
    if (subs.length > 0 && subs.every((s) => s.weight === 0))
      throw validationError('sub_groups: at least one weight must be above 0')
  }
  return out
}

/** A validated new group with the defaults a create fills in (the admin API and the GPT-Load import alike). */
export function groupToCreate(v: Partial<NewGroup>, defaultSort: number): NewGroup {
  const channel = getChannel(v.channel_type!)
  const groupType = v.group_type ?? 'standard'
  return {
    name: v.name!,
    display_name: v.display_name || v.name!,
    description: v.description ?? '',
    group_type: groupType,
    channel_type: channel.type,
    upstreams: v.upstreams ?? [],
    test_model: v.test_model || channel.defaultTestModel,
    validation_endpoint: v.validation_endpoint ?? '',
    param_overrides: v.param_overrides ?? {},
    model_redirect_rules: v.model_redirect_rules ?? {},
    model_redirect_strict: v.model_redirect_strict ?? false,
    header_rules: v.header_rules ?? [],
    config: v.config ?? {},
    proxy_keys: v.proxy_keys ?? '',
    sub_groups: groupType === 'aggregate' ? (v.sub_groups ?? []) : [],
    sort: v.sort ?? defaultSort,
    models: v.models ?? [],
    priority: v.priority ?? 1,
    weight: v.weight ?? 1,
  }
}
