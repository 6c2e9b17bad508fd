import { isOneOf } from '../../db/domain'
import { anthropic } from './anthropic.ts'
import { gemini } from './gemini.ts'
import { openai } from './openai.ts'
import { openaiResponse } from './openai-response.ts'
import { CHANNEL_TYPES, type Channel, type ChannelType } from './types.ts'

export { readClientKey, withPoolKey } from './credentials.ts'

export const CHANNELS: Record<ChannelType, Channel> = {
  openai,
  'openai-response': openaiResponse,
  anthropic,
  gemini,
}

export function isChannelType(value: unknown): value is ChannelType {
  return isOneOf(CHANNEL_TYPES, value)
}

/** The channel of a group's `channel_type`; throws on an unknown type (validated when the group is saved). */
export function getChannel(type: string): Channel {
  if (!isChannelType(type)) throw new Error(`unknown channel type: ${type}`)
  return CHANNELS[type]
}
