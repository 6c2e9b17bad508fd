/** Non-streamed answers between Gemini generateContent and chat. */
import { newId } from './chat-parts'
import { fromGeminiFinish, toGeminiFinish } from './finish-map'
import { argumentsOrEmpty } from './errors'
import { fromGeminiUsage, toGeminiUsage } from './usage-map'
import type { ChatCompletion, ChatCompletionMessageToolCall, GeminiAnswer, GeminiPart } from './types'

export function geminiAnswerToChat(g: GeminiAnswer, model: string): ChatCompletion {
  const choices = (g.candidates ?? []).map((cand, index): ChatCompletion.Choice => {
    let text = ''
    const calls: ChatCompletionMessageToolCall[] = []
    for (const p of cand.content?.parts ?? []) {
      if (p.thought) continue
      if (p.text !== undefined) text += p.text
      else if (p.functionCall)
        calls.push({ id: p.functionCall.id ?? newId('call_'), type: 'function', function: { name: p.functionCall.name ?? '', arguments: JSON.stringify(p.functionCall.args ?? {}) } })
    }
    const message: ChatCompletion.Choice['message'] = { role: 'assistant', content: text || (calls.length ? null : ''), refusal: null }
    if (calls.length) message.tool_calls = calls
    return { index: cand.index ?? index, message, logprobs: null, finish_reason: fromGeminiFinish(cand.finishReason, calls.length > 0) }
  })
  // A blocked prompt has no candidates, only promptFeedback: one empty, filtered choice.
  if (!choices.length && g.promptFeedback?.blockReason)
    choices.push({ index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' })
  return {
    id: g.responseId ? `chatcmpl-${g.responseId}` : newId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: g.modelVersion ?? model,
    choices,
    usage: fromGeminiUsage(g.usageMetadata),
  }
}

export function chatAnswerToGemini(c: ChatCompletion): GeminiAnswer {
  return {
    candidates: (c.choices ?? []).map((ch) => {
      const parts: GeminiPart[] = []
      if (ch.message?.content) parts.push({ text: ch.message.content })
      for (const call of ch.message?.tool_calls ?? [])
        if (call.type === 'function') parts.push({ functionCall: { name: call.function.name, args: argumentsOrEmpty(call.function.arguments) } })
      return { content: { role: 'model', parts }, finishReason: toGeminiFinish(ch.finish_reason) as never, index: ch.index }
    }),
    usageMetadata: toGeminiUsage(c.usage),
    modelVersion: c.model,
    responseId: c.id,
  }
}
