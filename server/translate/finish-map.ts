/** Finish reasons between protocols, with chat's as the common set. */
import type { ChatCompletion } from './types'

export type ChatFinish = ChatCompletion.Choice['finish_reason']
export type AnthropicStop = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal'

export function fromAnthropicStop(s: string | null | undefined): ChatFinish {
  if (s === 'max_tokens') return 'length'
  if (s === 'tool_use') return 'tool_calls'
  if (s === 'refusal') return 'content_filter'
  return 'stop'
}

export function toAnthropicStop(f: string | null | undefined): AnthropicStop {
  if (f === 'length') return 'max_tokens'
  if (f === 'tool_calls' || f === 'function_call') return 'tool_use'
  if (f === 'content_filter') return 'refusal'
  return 'end_turn'
}

/** Gemini says STOP after function calls too; `sawCalls` turns that into chat's tool_calls. */
export function fromGeminiFinish(f: string | null | undefined, sawCalls: boolean): ChatFinish {
  if (f === 'MAX_TOKENS') return 'length'
  if (f && ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'].includes(f)) return 'content_filter'
  return sawCalls ? 'tool_calls' : 'stop'
}

export function toGeminiFinish(f: string | null | undefined): string {
  if (f === 'length') return 'MAX_TOKENS'
  if (f === 'content_filter') return 'SAFETY'
  return 'STOP'
}
