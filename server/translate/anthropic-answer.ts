/** Non-streamed answers between Anthropic Messages and chat. */
import { newId } from './chat-parts'
import { fromAnthropicStop, toAnthropicStop } from './finish-map'
import { parseArguments } from './errors'
import { fromAnthropicUsage, toAnthropicUsage } from './usage-map'
import type { AnthropicMessage, ChatCompletion, ChatCompletionMessageToolCall, ContentBlock } from './types'

export function anthropicAnswerToChat(m: AnthropicMessage): ChatCompletion {
  let text = ''
  const calls: ChatCompletionMessageToolCall[] = []
  for (const b of m.content ?? []) {
    if (b.type === 'text') text += b.text
    else if (b.type === 'tool_use') calls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } })
  }
  const message: ChatCompletion.Choice['message'] = { role: 'assistant', content: text || (calls.length ? null : ''), refusal: null }
  if (calls.length) message.tool_calls = calls
  return {
    id: m.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: m.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: fromAnthropicStop(m.stop_reason) }],
    usage: fromAnthropicUsage(m.usage),
  }
}

export function chatAnswerToAnthropic(c: ChatCompletion): AnthropicMessage {
  const choice = c.choices?.[0]
  const content: ContentBlock[] = []
  const text = choice?.message?.content
  if (text) content.push({ type: 'text', text, citations: null })
  for (const [i, call] of (choice?.message?.tool_calls ?? []).entries()) {
    if (call.type !== 'function') continue
    let input: Record<string, unknown>
    try {
      input = parseArguments(call.function.arguments, `choices[0].message.tool_calls[${i}]`)
    } catch {
      input = {}
    }
    content.push({ type: 'tool_use', id: call.id || newId('toolu_'), name: call.function.name, input, caller: { type: 'direct' } } as ContentBlock)
  }
  return {
    id: c.id?.startsWith('msg_') ? c.id : `msg_${c.id ?? newId('')}`,
    type: 'message',
    role: 'assistant',
    model: c.model,
    content,
    stop_reason: toAnthropicStop(choice?.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(c.usage) as AnthropicMessage['usage'],
  } as AnthropicMessage
}
