/** Google Gemini API (generativelanguage.googleapis.com). https://ai.google.dev/api */
import { barePath, withModel } from './credentials.ts'
import type { Channel } from './types.ts'
import { count, createUsageReader, sumCounts, type UsageShape } from './usage.ts'

const GENERATE_ENDPOINT = '/v1beta/models/{model}:generateContent'

/** Every streamed chunk repeats usageMetadata with running counts: the last one holds the totals. */
const geminiUsage: UsageShape = {
  usageKey: 'usageMetadata',
  modelKey: 'modelVersion',
  read: (u) => ({
    prompt: count(u.promptTokenCount),
    // Thinking tokens are billed as output but reported apart from the candidates.
    completion: sumCounts(u.candidatesTokenCount, u.thoughtsTokenCount),
    total: count(u.totalTokenCount),
    // implicit and explicit context caching; part of promptTokenCount
    cached: count(u.cachedContentTokenCount),
  }),
}

/** google.rpc.Code names by HTTP status, as Google's APIs answer them. */
export function googleStatus(status: number): string {
  const names: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ABORTED',
    413: 'INVALID_ARGUMENT',
    429: 'RESOURCE_EXHAUSTED',
    499: 'CANCELLED',
    500: 'INTERNAL',
    501: 'UNIMPLEMENTED',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
    529: 'UNAVAILABLE',
  }
  return names[status] ?? (status >= 500 ? 'UNAVAILABLE' : 'FAILED_PRECONDITION')
}

/** `/v1beta/models/{model}:action` (also `/v1/`), the model segment being the part between them. */
const MODEL_IN_PATH = /^(.*\/models\/)([^/:?]+)(:[^/?]*)/

export const gemini: Channel = {
  type: 'gemini',
  label: 'Gemini',
  defaultUpstream: 'https://generativelanguage.googleapis.com',
  defaultTestModel: 'gemini-2.0-flash',
  defaultValidationEndpoint: GENERATE_ENDPOINT,
  injectKey(target, key) {
    if (target.clientUsedQueryKey) target.url.searchParams.set('key', key)
    else target.headers.set('x-goog-api-key', key)
  },
  validationRequest(key, model, endpoint) {
    return {
      method: 'POST',
      path: withModel(endpoint || GENERATE_ENDPOINT, model),
      headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 1 } }),
    }
  },
  errorBody: (status, message, code) => ({
    error: { code: status, message, status: code && /^[A-Z_]+$/.test(code) ? code : googleStatus(status) },
  }),
  usageReader: (stream) => createUsageReader(geminiUsage, stream),
  requestModel(path) {
    const m = MODEL_IN_PATH.exec(path)
    return m ? decodeURIComponent(m[2]!) : null
  },
  setRequestModel(path, _body, model) {
    return path.replace(MODEL_IN_PATH, (_all, before: string, _old: string, action: string) =>
      `${before}${encodeURIComponent(model)}${action}`,
    )
  },
  isModelList: (method, path) =>
    method.toUpperCase() === 'GET' && ['/v1beta/models', '/v1/models'].includes(barePath(path)),
  filterModelList(body, allowed, extra) {
    if (!body || typeof body !== 'object' || !Array.isArray((body as { models?: unknown }).models)) return body
    const idOf = (m: unknown) => {
      const name = (m as { name?: unknown } | null)?.name
      return typeof name === 'string' ? name.replace(/^models\//, '') : null
    }
    const models = (body as { models: unknown[] }).models.filter((m) => {
      const id = idOf(m)
      return id !== null && allowed(id)
    })
    const seen = new Set(models.map(idOf))
    for (const id of extra) {
      if (seen.has(id)) continue
      seen.add(id)
      models.push({ name: `models/${id}`, displayName: id, supportedGenerationMethods: ['generateContent', 'streamGenerateContent'] })
    }
    return { ...body, models }
  },
}
