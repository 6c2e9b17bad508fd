/**
 * What a request on the root routes asks for: its protocol comes from the path, and with it the channels that speak
 * that protocol natively and the shape keypool's own errors take. Paths that are not model calls are not routed.
 */
import { getChannel } from '../channels'
import type { Channel, ChannelType } from '../channels/types'
import { protocolOfPath, type Protocol } from '../translate'

export interface RootCall {
  /** the caller's protocol, named by the channel whose shape it is */
  protocol: ChannelType
  /** channel types that serve this path as it is */
  native: readonly ChannelType[]
  /** the caller's error shape and where its model is */
  channel: Channel
  /** the protocol translation knows this path as (groups of other channels serve it translated); null = native only */
  translatable: Protocol | null
}

const OPENAI_PATHS = new Set(['/v1/completions', '/v1/embeddings'])
const GEMINI_CALL = /^\/v1(?:beta)?\/models\/[^/]+:[A-Za-z]+$/

const call = (protocol: ChannelType, native: readonly ChannelType[], path: string): RootCall => ({
  protocol,
  native,
  channel: getChannel(protocol),
  translatable: protocolOfPath('POST', path),
})
const GEMINI_SAMPLE = '/v1beta/models/m:generateContent'
const CALLS = {
  chat: call('openai', ['openai'], '/v1/chat/completions'),
  // completions and embeddings have no translation: native groups only
  openaiOther: call('openai', ['openai'], '/v1/embeddings'),
  // OpenAI's own API serves Responses too, so an `openai` group is a candidate beside `openai-response` ones
  responses: call('openai-response', ['openai-response', 'openai'], '/v1/responses'),
  messages: call('anthropic', ['anthropic'], '/v1/messages'),
  anthropicOther: call('anthropic', ['anthropic'], '/v1/messages/count_tokens'),
  gemini: call('gemini', ['gemini'], GEMINI_SAMPLE),
  geminiOther: call('gemini', ['gemini'], '/v1beta/models/m:countTokens'),
}

export function rootCallOf(method: string, path: string): RootCall | null {
  if (method !== 'POST') return null
  if (path === '/v1/chat/completions') return CALLS.chat
  if (OPENAI_PATHS.has(path)) return CALLS.openaiOther
  if (path === '/v1/responses') return CALLS.responses
  if (path === '/v1/messages') return CALLS.messages
  if (path === '/v1/messages/count_tokens') return CALLS.anthropicOther
  if (GEMINI_CALL.test(path)) return protocolOfPath(method, path) ? CALLS.gemini : CALLS.geminiOther
  return null
}

/** The model list routes: OpenAI's shape, Anthropic's when the client says it speaks Anthropic, Gemini's. */
export function modelListOf(method: string, path: string, headers: Headers): Channel | null {
  if (method !== 'GET') return null
  if (path === '/v1/models') return getChannel(headers.has('anthropic-version') ? 'anthropic' : 'openai')
  if (path === '/v1beta/models') return getChannel('gemini')
  return null
}
