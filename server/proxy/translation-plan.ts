/**
 * When a proxied request is translated: the group turned `protocol_translation` on, its channel is one keypool can
 * translate into, and the path is a generation endpoint of another protocol. A native path is never touched, and
 * nothing else (model lists, embeddings, other routes) is translated.
 */
import type { ChannelType } from '../channels/types'
import { protocolOfPath, type Protocol, type UpstreamProtocol } from '../translate'
import type { RuntimeGroup } from './runtime-groups'

/** `openai-response` groups are not translated into: keypool writes Responses only toward callers. */
const UPSTREAM_OF: Partial<Record<ChannelType, UpstreamProtocol>> = { openai: 'openai', anthropic: 'anthropic', gemini: 'gemini' }

export interface TranslationPlan {
  caller: Protocol
  upstream: UpstreamProtocol
}

export function translationFor(rg: RuntimeGroup, method: string, path: string): TranslationPlan | null {
  if (!rg.settings.protocol_translation) return null
  const upstream = UPSTREAM_OF[rg.channel.type]
  if (!upstream) return null
  const caller = protocolOfPath(method, path)
  if (!caller || caller === upstream) return null
  return { caller, upstream }
}
