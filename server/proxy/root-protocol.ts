/**
 * What a request on the root routes asks for: its protocol comes from the path, and with it the channels that speak
 * that protocol natively and the shape keypool's own errors take. Paths that are not model calls are not routed.
 */
import { getChannel } from '../channels'
import type { Channel, ChannelType } from '../channels/types'

export interface RootCall {
  /** the caller's protocol, named by the channel whose shape it is */
  protocol: ChannelType
  /** channel types that serve this path as it is */
  native: readonly ChannelType[]
  /** the caller's error shape and where its model is */
  channel: Channel
}

const OPENAI_PATHS = new Set(['/v1/chat/completions', '/v1/completions', '/v1/embeddings'])
const GEMINI_CALL = /^\/v1(?:beta)?\/models\/[^/]+:[A-Za-z]+$/

const call = (protocol: ChannelType, native: readonly ChannelType[]): RootCall => ({ protocol, native, channel: getChannel(protocol) })
const CALLS = {
  openai: call('openai', ['openai']),
  // OpenAI's own API serves Responses too, so an `openai` group is a candidate beside `openai-response` ones
  responses: call('openai-response', ['openai-response', 'openai']),
  anthropic: call('anthropic', ['anthropic']),
  gemini: call('gemini', ['gemini']),
}

export function rootCallOf(method: string, path: string): RootCall | null {
  if (method !== 'POST') return null
  if (OPENAI_PATHS.has(path)) return CALLS.openai
  if (path === '/v1/responses') return CALLS.responses
  if (path === '/v1/messages' || path === '/v1/messages/count_tokens') return CALLS.anthropic
  if (GEMINI_CALL.test(path)) return CALLS.gemini
  return null
}

/** The model list routes: OpenAI's shape, Anthropic's when the client says it speaks Anthropic, Gemini's. */
export function modelListOf(method: string, path: string, headers: Headers): Channel | null {
  if (method !== 'GET') return null
  if (path === '/v1/models') return getChannel(headers.has('anthropic-version') ? 'anthropic' : 'openai')
  if (path === '/v1beta/models') return getChannel('gemini')
  return null
}
