/** Errors keypool itself answers on the proxy surface, in the channel's native JSON shape so SDKs show them. */
import { getChannel } from '../channels'
import type { Channel } from '../channels/types'

export function nativeError(channel: Channel, status: number, message: string, code?: string, extra?: HeadersInit): Response {
  const headers = new Headers(extra)
  headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(channel.errorBody(status, message, code)), { status, headers })
}

/** For errors before a group is known (unknown group): guess the family from the path. */
export function channelForPath(path: string): Channel {
  if (path.includes('/v1beta/') || path.includes(':generateContent') || path.includes(':streamGenerateContent'))
    return getChannel('gemini')
  if (path.includes('/v1/messages')) return getChannel('anthropic')
  if (path.includes('/v1/responses')) return getChannel('openai-response')
  return getChannel('openai')
}
