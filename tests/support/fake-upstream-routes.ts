/** Routes of the fake upstream: which native answer a path asks for, and the request body controls. */
import { type Family, type FakeError, plainError } from './fake-upstream-errors.ts'
import {
  anthropicMessages,
  geminiGenerate,
  type Generation,
  modelList,
  openaiChat,
  openaiEmbeddings,
  openaiResponses,
  type Reply,
} from './fake-upstream-replies.ts'

/** A success answer with the body controls that shape how it is sent. */
export type Answer = Reply & { status: 200; gzip: boolean; chunkDelayMs: number; headers?: Record<string, string> }

type Body = Record<string, unknown>

const GEMINI_GENERATE = /^\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/

/** Text of a message's content: a string, or parts with `text` (OpenAI, Anthropic, Responses, Gemini parts). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((p) => (typeof p === 'string' ? p : typeof p?.text === 'string' ? p.text : '')).join('')
}

/** The last user message of a chat, responses or gemini request. */
export function lastUserText(body: Body): string {
  if (typeof body.input === 'string') return body.input
  const list = body.messages ?? body.input ?? body.contents
  if (!Array.isArray(list)) return ''
  const users = list.filter((m) => m && (m.role === undefined || m.role === 'user'))
  const last = users.at(-1) ?? list.at(-1)
  return contentText(last?.content ?? last?.parts)
}

/** Splits text into n pieces without cutting a UTF-16 surrogate pair. */
export function splitPieces(text: string, n: number): string[] {
  const pieces: string[] = []
  let start = 0
  for (let i = 1; i <= n; i++) {
    let end = i === n ? text.length : Math.floor((text.length * i) / n)
    const code = text.charCodeAt(end - 1)
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++
    pieces.push(text.slice(start, Math.max(start, end)))
    start = Math.max(start, end)
  }
  return pieces
}

function generation(body: Body, model: string, stream: boolean): Generation {
  const n = Math.max(1, Math.floor(Number(body.fake_chunks ?? 5)) || 5)
  const echo = body.fake_echo === true || model.includes('echo')
  const pieces = echo ? splitPieces(lastUserText(body), n) : Array.from({ length: n }, (_, i) => `fake${i} `)
  const prompt = JSON.stringify(body.messages ?? body.input ?? body.contents ?? '')
  const options = body.stream_options as { include_usage?: unknown } | undefined
  const cachedTokens = Math.max(0, Math.floor(Number(body.fake_cached_tokens ?? 0)) || 0)
  return { model, prompt, pieces, stream, includeUsage: options?.include_usage === true, cachedTokens }
}

function route(method: string, url: URL, family: Family, body: Body): Reply | null {
  const path = url.pathname
  const model = typeof body.model === 'string' ? body.model : ''
  if (method === 'GET' && (path === '/v1/models' || path === '/v1beta/models')) return modelList(family)
  if (method !== 'POST') return null
  if (path === '/v1/chat/completions') return openaiChat(generation(body, model || 'gpt-4o-mini', body.stream === true))
  if (path === '/v1/responses') return openaiResponses(generation(body, model || 'gpt-4o-mini', body.stream === true))
  if (path === '/v1/embeddings') return openaiEmbeddings(model || 'text-embedding-3-small', body.input)
  if (path === '/v1/messages') return anthropicMessages(generation(body, model || 'claude-3-5-haiku-20241022', body.stream === true))
  const g = GEMINI_GENERATE.exec(path)
  if (g) {
    const stream = g[2] === 'streamGenerateContent'
    return geminiGenerate(generation(body, decodeURIComponent(g[1]!), stream), url.searchParams.get('alt') === 'sse')
  }
  return null
}

export function answer(method: string, url: URL, family: Family, body: Body): Answer | FakeError {
  const reply = route(method, url, family, body)
  if (!reply) return plainError(family, 404, `No route for ${method} ${url.pathname}.`)
  return { ...reply, status: 200, gzip: body.fake_gzip === true, chunkDelayMs: Math.max(0, Number(body.fake_chunk_delay_ms ?? 0) || 0) }
}
