/**
 * Chat chunks as OpenAI Responses stream events: a message item for text and a function_call item per tool call,
 * each opened when its first piece arrives and closed at the end, then `response.completed` with usage.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import type { StreamEncoder } from './chat-stream'
import { newId } from './chat-parts'
import { callItem, messageItem, responseObject } from './responses-answer'
import { sseEvent } from './sse'
import { toResponsesUsage } from './usage-map'
import type { ChatRequest, CompletionUsage, ResponsesAnswer } from './types'

type OutputItem = ResponsesAnswer['output'][number]
type Open = { kind: 'text'; id: string; output: number; text: string } | { kind: 'call'; id: string; output: number; callId: string; name: string; args: string }

export function responsesEncoder(req: ChatRequest): StreamEncoder {
  const id = newId('resp_')
  let model = req.model
  let seq = 0
  let started = false
  let outputs = 0
  let text: Extract<Open, { kind: 'text' }> | null = null
  const calls = new Map<number, Extract<Open, { kind: 'call' }>>()
  const done: { output: number; item: OutputItem }[] = []
  let finish: string | null = null
  let usage: CompletionUsage | null = null
  let out = ''
  const ev = (type: string, data: object) => {
    out += sseEvent(type, { type, sequence_number: seq++, ...data })
  }
  const start = () => {
    if (started) return
    started = true
    const response = responseObject(id, model, req, 'in_progress', [], null)
    ev('response.created', { response })
    ev('response.in_progress', { response })
  }
  const closeText = () => {
    if (!text) return
    const t = text
    const at = { item_id: t.id, output_index: t.output, content_index: 0 }
    const part = { type: 'output_text', text: t.text, annotations: [], logprobs: [] }
    ev('response.output_text.done', { ...at, text: t.text, logprobs: [] })
    ev('response.content_part.done', { ...at, part })
    const item = messageItem(t.id, t.text, 'completed')
    ev('response.output_item.done', { output_index: t.output, item })
    done.push({ output: t.output, item })
    text = null
  }
  return {
    item(it) {
      out = ''
      if ('error' in it) {
        ev('error', { code: it.error.code ?? 'api_error', message: it.error.message, param: null })
        return out
      }
      const c = it.chunk
      if (c.model) model = c.model
      start()
      if (c.usage) usage = c.usage
      const choice = c.choices?.[0]
      if (!choice) return out
      const d = choice.delta ?? {}
      if (d.content) {
        if (!text) {
          text = { kind: 'text', id: newId('msg_'), output: outputs++, text: '' }
          ev('response.output_item.added', { output_index: text.output, item: messageItem(text.id, '', 'in_progress') })
          ev('response.content_part.added', { item_id: text.id, output_index: text.output, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } })
        }
        text.text += d.content
        ev('response.output_text.delta', { item_id: text.id, output_index: text.output, content_index: 0, delta: d.content, logprobs: [] })
      }
      for (const tc of d.tool_calls ?? []) {
        let call = calls.get(tc.index)
        if (!call) {
          closeText()
          call = { kind: 'call', id: newId('fc_'), output: outputs++, callId: tc.id ?? newId('call_'), name: tc.function?.name ?? '', args: '' }
          calls.set(tc.index, call)
          ev('response.output_item.added', { output_index: call.output, item: callItem(call.id, call.callId, call.name, '', 'in_progress') })
        }
        const delta = tc.function?.arguments
        if (delta) {
          call.args += delta
          ev('response.function_call_arguments.delta', { item_id: call.id, output_index: call.output, delta })
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason
      return out
    },
    end() {
      out = ''
      start()
      closeText()
      for (const call of calls.values()) {
        ev('response.function_call_arguments.done', { item_id: call.id, output_index: call.output, name: call.name, arguments: call.args })
        const item = callItem(call.id, call.callId, call.name, call.args, 'completed')
        ev('response.output_item.done', { output_index: call.output, item })
        done.push({ output: call.output, item })
      }
      const output = done.sort((a, b) => a.output - b.output).map((d) => d.item)
      const status = finish === 'length' ? 'incomplete' : 'completed'
      ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseObject(id, model, req, status, output, toResponsesUsage(usage)) })
      return out
    },
  }
}
