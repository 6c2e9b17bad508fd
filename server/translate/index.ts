/**
 * Protocol translation as one pure unit: a caller's request in one protocol becomes an upstream request in another
 * (through chat as the shared form), and the upstream's answer, stream or error comes back in the caller's shape.
 * Nothing here does I/O; the proxy decides when to translate and moves the bytes.
 */
import { anthropicAnswerToChat, chatAnswerToAnthropic } from './anthropic-answer'
import { anthropicToChat, chatToAnthropic } from './anthropic-request'
import { anthropicDecoder, anthropicEncoder } from './anthropic-stream'
import { chatDecoder, chatEncoder, type StreamDecoder, type StreamEncoder } from './chat-stream'
import { errorBodyFor, errorFromText } from './error-map'
import { Dropped, TranslateError } from './errors'
import { chatAnswerToGemini, geminiAnswerToChat } from './gemini-answer'
import { chatToGemini, GEMINI_PATH, geminiToChat } from './gemini-request'
import { geminiDecoder, geminiEncoder } from './gemini-stream'
import type { Protocol } from './protocols'
import { chatAnswerToResponses } from './responses-answer'
import { responsesToChat } from './responses-request'
import { responsesEncoder } from './responses-stream'
import { SseParser, type SseEvent } from './sse'
import type { AnthropicMessage, AnthropicRequest, ChatCompletion, ChatRequest, GeminiAnswer, GeminiRequest, ResponseCreateParams } from './types'

export { TranslateError } from './errors'
export { protocolOfPath, type Protocol } from './protocols'

/** Protocols an upstream can be asked in (Responses is only ever a caller's). */
export type UpstreamProtocol = Exclude<Protocol, 'responses'>

export interface Translation {
  caller: Protocol
  upstream: UpstreamProtocol
  /** the request in the shared form */
  chat: ChatRequest
  /** what goes upstream */
  path: string
  body: unknown
  stream: boolean
  /** a Gemini caller streaming without `alt=sse` gets Gemini's JSON-array stream */
  callerSse: boolean
  dropped: string[]
}

/** Throws TranslateError (a 400 naming the field) when the request cannot be expressed for the upstream. */
export function translateRequest(caller: Protocol, upstream: UpstreamProtocol, path: string, body: unknown): Translation {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new TranslateError('body', 'must be a JSON object')
  const dropped = new Dropped()
  const [bare, query = ''] = path.split('?', 2)
  let chat: ChatRequest
  let callerSse = true
  if (caller === 'anthropic') chat = anthropicToChat(body as AnthropicRequest, dropped)
  else if (caller === 'responses') chat = responsesToChat(body as ResponseCreateParams, dropped)
  else if (caller === 'gemini') {
    const m = GEMINI_PATH.exec(bare!)
    if (!m) throw new TranslateError('path', 'is not a Gemini generateContent path')
    const stream = m[2] === 'streamGenerateContent'
    callerSse = new URLSearchParams(query).get('alt') === 'sse'
    chat = geminiToChat(body as GeminiRequest, decodeURIComponent(m[1]!), stream, dropped)
  } else chat = body as ChatRequest
  if (typeof chat.model !== 'string' || !chat.model) throw new TranslateError('model', 'is required')
  const stream = chat.stream === true
  let out: { path: string; body: unknown }
  if (upstream === 'anthropic') out = { path: '/v1/messages', body: chatToAnthropic(chat, dropped) }
  else if (upstream === 'gemini') out = chatToGemini(chat, dropped)
  else {
    const copy = { ...chat }
    if (stream) copy.stream_options = { ...copy.stream_options, include_usage: true }
    out = { path: '/v1/chat/completions', body: copy }
  }
  return { caller, upstream, chat, ...out, stream, callerSse, dropped: dropped.names }
}

/** A whole (non-streamed) upstream answer, parsed, in the caller's shape. */
export function translateAnswer(t: Translation, answer: unknown): unknown {
  const a = answer as Record<string, unknown> | null
  const expected = t.upstream === 'anthropic' ? 'content' : t.upstream === 'gemini' ? 'candidates' : 'choices'
  // Gemini leaves out candidates when the prompt itself was blocked (promptFeedback says why).
  const ok = a && typeof a === 'object' && (Array.isArray(a[expected]) || (t.upstream === 'gemini' && a.promptFeedback))
  if (!ok) throw new Error(`the upstream answer has no ${expected} list`)
  let chat: ChatCompletion
  if (t.upstream === 'anthropic') chat = anthropicAnswerToChat(answer as AnthropicMessage)
  else if (t.upstream === 'gemini') chat = geminiAnswerToChat(answer as GeminiAnswer, t.chat.model)
  else chat = answer as ChatCompletion
  if (t.caller === 'anthropic') return chatAnswerToAnthropic(chat)
  if (t.caller === 'gemini') return chatAnswerToGemini(chat)
  if (t.caller === 'responses') return chatAnswerToResponses(chat, t.chat)
  return chat
}

/** An upstream error body (any shape) in the caller's error shape. */
export function translateError(t: Pick<Translation, 'caller'>, status: number, text: string): unknown {
  return errorBodyFor(t.caller, errorFromText(status, text))
}

export function errorBody(caller: Protocol, status: number, message: string, code?: string): unknown {
  return errorBodyFor(caller, code ? { status, message, code } : { status, message })
}

function decoderFor(t: Translation): StreamDecoder {
  if (t.upstream === 'anthropic') return anthropicDecoder()
  if (t.upstream === 'gemini') return geminiDecoder(t.chat.model)
  return chatDecoder()
}

function encoderFor(t: Translation): StreamEncoder {
  if (t.caller === 'anthropic') return anthropicEncoder(t.chat.model)
  if (t.caller === 'gemini') return geminiEncoder(t.chat.model, t.callerSse)
  if (t.caller === 'responses') return responsesEncoder(t.chat)
  return chatEncoder(t.chat.stream_options?.include_usage === true)
}

/**
 * The upstream's event stream as the caller's, event by event: each upstream chunk is written out as soon as it
 * completes an event (nothing waits for the end). Cancelling the result cancels the upstream body.
 */
export function translateStream(t: Translation, upstream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = upstream.getReader()
  const parser = new SseParser()
  const decoder = decoderFor(t)
  const encoder = encoderFor(t)
  const bytes = new TextEncoder()
  let finished = false
  // An upstream event of an unexpected shape is skipped: the rest of the stream still reaches the caller.
  const encodeEvent = (ev: SseEvent) => {
    try {
      return decoder.event(ev).map((item) => encoder.item(item)).join('')
    } catch {
      return ''
    }
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (finished) return
        const { done, value } = await reader.read()
        let text = ''
        const events = done ? parser.end() : parser.push(value)
        for (const ev of events) text += encodeEvent(ev)
        if (done) {
          for (const item of decoder.end()) text += encoder.item(item)
          text += encoder.end()
          finished = true
        }
        if (text) controller.enqueue(bytes.encode(text))
        if (done) return controller.close()
        if (text) return
      }
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
}
