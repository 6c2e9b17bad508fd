/**
 * Gemini `streamGenerateContent?alt=sse` <-> chat chunks. Gemini sends each function call whole in one part and
 * usage on every chunk; chat streams argument pieces and usage last.
 */
import { chunk, type StreamDecoder, type StreamEncoder } from './chat-stream'
import { newId } from './chat-parts'
import { argumentsOrEmpty } from './errors'
import { errorFromBody } from './error-map'
import { fromGeminiFinish, toGeminiFinish } from './finish-map'
import { sseData } from './sse'
import { fromGeminiUsage, toGeminiUsage } from './usage-map'
import type { ChatCompletionChunk, CompletionUsage, GeminiAnswer, GeminiPart } from './types'

export function geminiDecoder(model: string): StreamDecoder {
  const id = newId('chatcmpl-')
  let started = false
  let calls = 0
  let usage: GeminiAnswer['usageMetadata'] | null = null
  let finished = false
  return {
    event(ev) {
      if (!ev.data) return []
      let g: GeminiAnswer & { error?: unknown }
      try {
        g = JSON.parse(ev.data)
      } catch {
        return []
      }
      if (g.error) return [{ error: errorFromBody(500, g) }]
      if (g.modelVersion) model = g.modelVersion
      if (g.usageMetadata) usage = g.usageMetadata
      const out: ChatCompletionChunk[] = []
      if (!started) {
        started = true
        out.push(chunk(id, model, { role: 'assistant', content: '' }))
      }
      const cand = g.candidates?.[0]
      for (const p of cand?.content?.parts ?? []) {
        if (p.thought) continue
        if (p.text) out.push(chunk(id, model, { content: p.text }))
        else if (p.functionCall) {
          const fc = p.functionCall
          out.push(chunk(id, model, { tool_calls: [{ index: calls++, id: fc.id ?? newId('call_'), type: 'function', function: { name: fc.name ?? '', arguments: JSON.stringify(fc.args ?? {}) } }] }))
        }
      }
      if (cand?.finishReason) {
        finished = true
        out.push(chunk(id, model, {}, fromGeminiFinish(cand.finishReason, calls > 0)))
      }
      return out.map((c) => ({ chunk: c }))
    },
    end() {
      if (!started) return []
      const out: ChatCompletionChunk[] = []
      if (!finished) out.push(chunk(id, model, {}, calls > 0 ? 'tool_calls' : 'stop'))
      out.push({ ...chunk(id, model, {}), choices: [], usage: fromGeminiUsage(usage) })
      return out.map((c) => ({ chunk: c }))
    },
  }
}

/**
 * Chat chunks to Gemini answers. Text goes out at once; tool-call arguments are gathered until the call is whole
 * (Gemini has no argument deltas). `sse` false writes the JSON-array stream of a call without `alt=sse`.
 */
export function geminiEncoder(fallbackModel: string, sse: boolean): StreamEncoder {
  let model = fallbackModel
  let id = ''
  let sent = 0
  let opened = false
  const calls = new Map<number, { name: string; args: string }>()
  let finish: string | null = null
  let usage: CompletionUsage | null = null
  const write = (g: GeminiAnswer) => {
    if (sse) return sseData(g)
    return `${sent++ === 0 ? '[' : ',\r\n'}${JSON.stringify(g)}`
  }
  const answer = (parts: GeminiPart[], last: boolean): GeminiAnswer => ({
    candidates: [{ content: { role: 'model', parts }, ...(last ? { finishReason: toGeminiFinish(finish) as never } : {}), index: 0 }],
    ...(last ? { usageMetadata: toGeminiUsage(usage) } : {}),
    modelVersion: model,
    responseId: id,
  })
  return {
    item(it) {
      if ('error' in it) return write({ error: { code: it.error.status, message: it.error.message, status: it.error.code ?? 'INTERNAL' } } as never)
      const c = it.chunk
      if (c.model) model = c.model
      if (c.id) id = c.id
      if (c.usage) usage = c.usage
      const choice = c.choices?.[0]
      if (!choice) return ''
      if (choice.finish_reason) finish = choice.finish_reason
      for (const tc of choice.delta?.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { name: '', args: '' }
        if (tc.function?.name) call.name = tc.function.name
        call.args += tc.function?.arguments ?? ''
        calls.set(tc.index, call)
      }
      const text = choice.delta?.content
      if (text) {
        opened = true
        return write(answer([{ text }], false))
      }
      // Gemini has no opening event; the upstream's opening chunk goes out (empty) anyway so the caller's first
      // byte is not held back until the first text.
      if (choice.delta?.role && !opened) {
        opened = true
        return write(answer([{ text: '' }], false))
      }
      return ''
    },
    end() {
      const parts: GeminiPart[] = [...calls.values()].map((c) => ({ functionCall: { name: c.name, args: argumentsOrEmpty(c.args) } }))
      const last = write(answer(parts, true))
      return sse ? last : `${last}]`
    },
  }
}
