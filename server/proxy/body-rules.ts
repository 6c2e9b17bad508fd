/**
 * Request body rewrites: `param_overrides` (top-level fields forced onto the JSON body) and
 * `model_redirect_rules` (model A is served as model B; strict mode refuses models without a rule).
 * The body is parsed only when the group has a rule that needs it; otherwise the bytes pass through untouched.
 */
import { nestsDeeper } from '../shared/json-depth'
import type { Channel } from '../channels/types'

export interface BodyRules {
  paramOverrides: Record<string, unknown>
  redirects: Record<string, string>
  strict: boolean
}

export type BodyRewrite =
  | { ok: true; body: Uint8Array | null; path: string; model: string | null }
  | { ok: false; status: number; message: string; code?: string }

export function needsRewrite(rules: BodyRules): boolean {
  return Object.keys(rules.paramOverrides).length > 0 || Object.keys(rules.redirects).length > 0 || rules.strict
}

const MAX_REWRITE_DEPTH = 256
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function rewriteBody(
  channel: Channel,
  rules: BodyRules,
  method: string,
  path: string,
  contentType: string | null,
  body: Uint8Array | null,
): BodyRewrite {
  const isJson = body !== null && body.byteLength > 0 && (contentType ?? '').includes('json')
  let parsed: Record<string, unknown> | null = null
  if (isJson) {
    const text = decoder.decode(body)
    // re-serialising a body nested this deep overflows the stack; no model API takes one
    if (nestsDeeper(text, MAX_REWRITE_DEPTH))
      return { ok: false, status: 400, message: `the request body nests deeper than ${MAX_REWRITE_DEPTH} levels`, code: 'invalid_request' }
    try {
      const v = JSON.parse(text)
      if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>
    } catch {
      // Not JSON after all: forward as is and let the upstream answer.
      return { ok: true, body, path, model: null }
    }
  }
  let changed = false
  let model = channel.requestModel(path, parsed)
  let newPath = path
  if (model !== null && method !== 'GET') {
    const target = rules.redirects[model]
    if (target !== undefined) {
      newPath = channel.setRequestModel(path, parsed, target)
      model = target
      changed = true
    } else if (rules.strict) {
      return { ok: false, status: 400, message: `model "${model}" is not available in this group` }
    }
  }
  if (parsed && Object.keys(rules.paramOverrides).length > 0) {
    Object.assign(parsed, rules.paramOverrides)
    changed = true
  }
  if (!changed) return { ok: true, body, path, model }
  return { ok: true, body: parsed ? encoder.encode(JSON.stringify(parsed)) : body, path: newPath, model }
}

const MODEL_FIELD = /"model"\s*:\s*"([^"\\]{1,200})"/

/** Cheap model sniff for the log when no rule parsed the body. */
export function sniffModel(channel: Channel, path: string, body: Uint8Array | null): string | null {
  const fromPath = channel.requestModel(path, null)
  if (fromPath) return fromPath
  if (!body || body.byteLength === 0 || body.byteLength > 262_144) return null
  return MODEL_FIELD.exec(decoder.decode(body))?.[1] ?? null
}
