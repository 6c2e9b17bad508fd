/** Anthropic Messages API. https://docs.anthropic.com/en/api/messages */
import { barePath, withModel } from './credentials.ts'
import { bodyModel, filterIdList } from './openai.ts'
import type { Channel } from './types.ts'
import { count, createUsageReader, sumCounts, type UsageShape } from './usage.ts'

export const ANTHROPIC_VERSION = '2023-06-01'
const MESSAGES_ENDPOINT = '/v1/messages'

/**
 * message_start carries input_tokens (and an early output_tokens), message_delta the final output_tokens;
 * a JSON answer has both. Cached prompt tokens are counted apart by Anthropic: they are part of the prompt.
 */
const messagesUsage: UsageShape = {
  usageKey: 'usage',
  modelKey: 'model',
  read: (u) => ({
    prompt: sumCounts(u.input_tokens, u.cache_creation_input_tokens, u.cache_read_input_tokens),
    completion: count(u.output_tokens),
    cached: count(u.cache_read_input_tokens),
    cacheWrite: count(u.cache_creation_input_tokens),
  }),
}

/** https://docs.anthropic.com/en/api/errors */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error'
    case 402:
      return 'billing_error'
    case 403:
      return 'permission_error'
    case 404:
      return 'not_found_error'
    case 413:
      return 'request_too_large'
    case 429:
      return 'rate_limit_error'
    case 503:
    case 529:
      return 'overloaded_error'
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error'
  }
}

export const anthropic: Channel = {
  type: 'anthropic',
  label: 'Anthropic',
  defaultUpstream: 'https://api.anthropic.com',
  defaultTestModel: 'claude-3-5-haiku-latest',
  defaultValidationEndpoint: MESSAGES_ENDPOINT,
  injectKey(target, key) {
    target.headers.set('x-api-key', key)
    // The client's version pins the API behaviour it was written for: keep it.
    if (!target.headers.has('anthropic-version')) target.headers.set('anthropic-version', ANTHROPIC_VERSION)
  },
  validationRequest(key, model, endpoint) {
    return {
      method: 'POST',
      path: withModel(endpoint || MESSAGES_ENDPOINT, model),
      headers: { 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }),
    }
  },
  errorBody: (status, message) => ({ type: 'error', error: { type: anthropicErrorType(status), message } }),
  usageReader: (stream) => createUsageReader(messagesUsage, stream),
  requestModel: (_path, body) => bodyModel(body),
  setRequestModel(path, body, model) {
    if (body) body.model = model
    return path
  },
  isModelList: (method, path) => method.toUpperCase() === 'GET' && barePath(path) === '/v1/models',
  filterModelList(body, allowed, extra) {
    const out = filterIdList(body, allowed, extra, (id) => ({
      type: 'model',
      display_name: id,
      created_at: new Date(0).toISOString(),
    }))
    if (!out) return body
    // first_id / last_id are pagination cursors over the returned page: keep them true to it.
    return { ...out, first_id: out.data[0]?.id ?? null, last_id: out.data.at(-1)?.id ?? null }
  },
}
