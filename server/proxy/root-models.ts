/**
 * `GET /v1/models` (OpenAI's list shape, Anthropic's when the request carries `anthropic-version`) and
 * `GET /v1beta/models` (Gemini's) at the root: the models the caller can reach there, i.e. the concrete names in
 * the `models` of the groups it may use that speak that protocol. Globs with wildcards (`gpt-4o*`) name no single
 * model and are not listed.
 */
import type { Channel } from '../channels/types'
import { scopeAllowsModel, scopeOf } from './caller-scope'
import { readClientKey } from './client-key'
import { isConcreteModel } from './model-glob'
import { nativeError } from './native-error'
import { rootCallOf } from './root-protocol'
import { reachable, speaks } from './route-candidates'
import type { ProxyDeps, ProxyRequest } from './types'

/** the empty list of each shape, which the channel's own list filter fills in */
const EMPTY: Record<string, () => object> = {
  openai: () => ({ object: 'list', data: [] }),
  anthropic: () => ({ data: [], has_more: false, first_id: null, last_id: null }),
  gemini: () => ({ models: [] }),
}

/** A model call of each protocol, to ask which groups speak it. */
const CALL_OF: Record<string, string> = { openai: '/v1/chat/completions', anthropic: '/v1/messages', gemini: '/v1beta/models/m:generateContent' }

export function listRootModels(d: ProxyDeps, p: ProxyRequest, channel: Channel): Response {
  const client = readClientKey(p.request.headers, p.url)
  const scope = scopeOf(d.runtime, client.key, d.callerScope)
  if (!scope) return nativeError(channel, 401, 'invalid or missing proxy key', 'invalid_api_key')
  const call = rootCallOf('POST', CALL_OF[channel.type]!)!
  const names = new Set<string>()
  for (const rg of d.runtime.all()) {
    if (!reachable(rg, scope) || !speaks(rg, call)) continue
    for (const m of rg.group.models) if (isConcreteModel(m) && scopeAllowsModel(scope, m)) names.add(m)
  }
  const body = channel.filterModelList(EMPTY[channel.type]!(), () => false, [...names].sort())
  return Response.json(body)
}
