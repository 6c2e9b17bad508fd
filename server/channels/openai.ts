/** OpenAI Chat Completions and every OpenAI-compatible upstream. https://platform.openai.com/docs/api-reference */
import { barePath, withModel } from './credentials.ts'
import { askStreamUsage, UsageChunkFilter } from './openai-stream-usage.ts'
import type { Channel, ValidationRequest } from './types.ts'
import { count, createUsageReader, nestedCount, type UsageShape } from './usage.ts'

const chatUsage: UsageShape = {
  usageKey: 'usage',
  modelKey: 'model',
  read: (u) => ({
    prompt: count(u.prompt_tokens),
    completion: count(u.completion_tokens),
    total: count(u.total_tokens),
    cached: nestedCount(u.prompt_tokens_details, 'cached_tokens'),
  }),
}

/** OpenAI error `type` by status, as the official SDKs expect it. */
export function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

export function openaiErrorBody(status: number, message: string, code?: string) {
  // a spent access-key budget reads as OpenAI's own spent quota, so SDKs and clients treat it alike
  const type = code === 'budget_exceeded' ? 'insufficient_quota' : openaiErrorType(status)
  return { error: { message, type, param: null, code: code ?? null } }
}

export function bearerRequest(key: string, path: string, body: unknown): ValidationRequest {
  return {
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }
}

export function bodyModel(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null
  const model = (body as Record<string, unknown>).model
  return typeof model === 'string' && model ? model : null
}

/**
 * Filters a `{data:[{id,...}]}` model list (OpenAI `{object:'list',...}`, Anthropic with cursors) and appends
 * `extra` ids built by `make`; null when the body has no such list (it is then passed on untouched).
 */
export function filterIdList(
  body: unknown,
  allowed: (id: string) => boolean,
  extra: string[],
  make: (id: string) => object,
): { data: { id: string }[] } | null {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) return null
  const data = (body as { data: unknown[] }).data.filter((m) => {
    const id = (m as { id?: unknown } | null)?.id
    return typeof id === 'string' && allowed(id)
  }) as { id: string }[]
  const seen = new Set(data.map((m) => m.id))
  for (const id of extra) {
    if (!seen.has(id)) {
      seen.add(id)
      data.push({ ...make(id), id })
    }
  }
  return { ...body, data }
}

const CHAT_ENDPOINT = '/v1/chat/completions'

const isV1Models = (method: string, path: string) =>
  method.toUpperCase() === 'GET' && ['/v1/models', '/models'].includes(barePath(path))

export const openai: Channel = {
  type: 'openai',
  label: 'OpenAI',
  defaultUpstream: 'https://api.openai.com',
  defaultTestModel: 'gpt-4o-mini',
  defaultValidationEndpoint: CHAT_ENDPOINT,
  injectKey(target, key) {
    target.headers.set('authorization', `Bearer ${key}`)
  },
  validationRequest(key, model, endpoint) {
    const body = { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }
    return bearerRequest(key, withModel(endpoint || CHAT_ENDPOINT, model), body)
  },
  errorBody: openaiErrorBody,
  usageReader: (stream) => createUsageReader(chatUsage, stream),
  streamUsage: { ask: askStreamUsage, hide: () => new UsageChunkFilter() },
  requestModel: (_path, body) => bodyModel(body),
  setRequestModel(path, body, model) {
    if (body) body.model = model
    return path
  },
  isModelList: isV1Models,
  filterModelList: (body, allowed, extra) =>
    filterIdList(body, allowed, extra, () => ({ object: 'model', created: 0, owned_by: 'keypool' })) ?? body,
}
