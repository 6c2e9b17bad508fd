/**
 * Native success answers of the fake upstream: the JSON bodies and SSE event sequences OpenAI (Chat
 * Completions, Responses, Embeddings), Anthropic (Messages) and Gemini send, with usage where they put it.
 * Token counts are deterministic (ceil(chars / 4), at least 1) so tests can predict them.
 */
export type Reply =
  | { kind: 'json'; body: unknown }
  | { kind: 'stream'; contentType: string; events: string[] }

/** What one generation request asked for, already read from its body. */
export interface Generation {
  model: string
  /** Text the token count of the prompt is computed from. */
  prompt: string
  /** The answer text in stream pieces (one per chunk); joined for JSON answers. */
  pieces: string[]
  stream: boolean
  /** `stream_options.include_usage: true` (OpenAI chat): usage comes in a last chunk, `usage: null` in the others */
  includeUsage?: boolean
  /** `fake_cached_tokens`: prompt tokens the answer says came from the provider's cache */
  cachedTokens?: number
}

export const CREATED = 1_700_000_000
export const tokenCount = (text: string) => Math.max(1, Math.ceil(text.length / 4))

const sseData = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`
const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const SSE = 'text/event-stream'

function counts(g: Generation) {
  const text = g.pieces.join('')
  const prompt = tokenCount(g.prompt)
  const completion = tokenCount(text)
  return { text, prompt, completion, total: prompt + completion }
}

export function openaiChat(g: Generation): Reply {
  const { text, prompt: uncached, completion } = counts(g)
  // OpenAI counts cached tokens inside prompt_tokens
  const cached = g.cachedTokens ?? 0
  const prompt = uncached + cached
  const total = prompt + completion
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    ...(cached ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
  }
  const base = { id: 'chatcmpl-fake', created: CREATED, model: g.model, system_fingerprint: 'fp_fake' }
  if (!g.stream) {
    const message = { role: 'assistant', content: text, refusal: null }
    const choices = [{ index: 0, message, logprobs: null, finish_reason: 'stop' }]
    return { kind: 'json', body: { ...base, object: 'chat.completion', choices, usage } }
  }
  const chunk = (delta: object, finish: string | null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(g.includeUsage ? { usage: null } : {}),
  })
  // As OpenAI does: the usage chunk only when the request has stream_options.include_usage.
  const events = [
    sseData(chunk({ role: 'assistant', content: '' }, null)),
    ...g.pieces.map((p) => sseData(chunk({ content: p }, null))),
    sseData(chunk({}, 'stop')),
    ...(g.includeUsage ? [sseData({ ...base, object: 'chat.completion.chunk', choices: [], usage })] : []),
    'data: [DONE]\n\n',
  ]
  return { kind: 'stream', contentType: SSE, events }
}

export function openaiResponses(g: Generation): Reply {
  const { text, prompt, completion, total } = counts(g)
  const usage = {
    input_tokens: prompt,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: completion,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: total,
  }
  const part = { type: 'output_text', text, annotations: [] }
  const item = { id: 'msg_fake', type: 'message', status: 'completed', role: 'assistant', content: [part] }
  const response = (status: string, done: boolean) => ({
    id: 'resp_fake',
    object: 'response',
    created_at: CREATED,
    status,
    error: null,
    model: g.model,
    output: done ? [item] : [],
    usage: done ? usage : null,
  })
  if (!g.stream) return { kind: 'json', body: response('completed', true) }
  let seq = 0
  const ev = (type: string, data: object) => sseEvent(type, { type, sequence_number: seq++, ...data })
  const at = { item_id: 'msg_fake', output_index: 0, content_index: 0 }
  const events = [
    ev('response.created', { response: response('in_progress', false) }),
    ev('response.in_progress', { response: response('in_progress', false) }),
    ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
    ev('response.content_part.added', { ...at, part: { ...part, text: '' } }),
    ...g.pieces.map((delta) => ev('response.output_text.delta', { ...at, delta })),
    ev('response.output_text.done', { ...at, text }),
    ev('response.content_part.done', { ...at, part }),
    ev('response.output_item.done', { output_index: 0, item }),
    ev('response.completed', { response: response('completed', true) }),
  ]
  return { kind: 'stream', contentType: SSE, events }
}

export function anthropicMessages(g: Generation): Reply {
  const { text, prompt, completion } = counts(g)
  // Anthropic counts cache reads apart from input_tokens
  const cache = g.cachedTokens ? { cache_read_input_tokens: g.cachedTokens, cache_creation_input_tokens: 0 } : {}
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', model: g.model }
  if (!g.stream) {
    const body = {
      ...message,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: prompt, ...cache, output_tokens: completion },
    }
    return { kind: 'json', body }
  }
  const ev = (type: string, data: object) => sseEvent(type, { type, ...data })
  const start = { ...message, content: [], stop_reason: null, stop_sequence: null }
  const events = [
    ev('message_start', { message: { ...start, usage: { input_tokens: prompt, ...cache, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
    ...g.pieces.map((p) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } })),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: completion } }),
    ev('message_stop', {}),
  ]
  return { kind: 'stream', contentType: SSE, events }
}

/** `sse` is `?alt=sse`; without it Gemini streams one JSON array, element by element. */
export function geminiGenerate(g: Generation, sse: boolean): Reply {
  const prompt = tokenCount(g.prompt)
  let sent = ''
  const chunk = (piece: string, last: boolean) => {
    sent += piece
    const candidatesTokenCount = tokenCount(sent)
    return {
      candidates: [{ content: { parts: [{ text: piece }], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
      usageMetadata: { promptTokenCount: prompt, candidatesTokenCount, totalTokenCount: prompt + candidatesTokenCount },
      modelVersion: g.model,
      responseId: 'fake-response',
    }
  }
  if (!g.stream) return { kind: 'json', body: chunk(g.pieces.join(''), true) }
  const chunks = g.pieces.map((p, i) => chunk(p, i === g.pieces.length - 1))
  if (sse) return { kind: 'stream', contentType: SSE, events: chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`) }
  const events = chunks.map((c, i) => `${i === 0 ? '[' : ',\r\n'}${JSON.stringify(c, null, 2)}`)
  events.push(']')
  return { kind: 'stream', contentType: 'application/json; charset=UTF-8', events }
}

export function openaiEmbeddings(model: string, input: unknown): Reply {
  const inputs = Array.isArray(input) ? input : [input]
  const text = inputs.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('')
  const data = inputs.map((_, index) => ({
    object: 'embedding',
    index,
    embedding: Array.from({ length: 8 }, (_, d) => Number(((index + 1) * (d + 1) * 0.01).toFixed(4))),
  }))
  const prompt = tokenCount(text)
  return { kind: 'json', body: { object: 'list', data, model, usage: { prompt_tokens: prompt, total_tokens: prompt } } }
}

export const MODEL_IDS = {
  openai: ['gpt-4o', 'gpt-4o-mini', 'o3-mini'],
  anthropic: ['claude-sonnet-4-20250514', 'claude-3-5-haiku-20241022', 'claude-3-7-sonnet-20250219'],
  gemini: ['gemini-2.0-flash', 'gemini-2.5-pro', 'text-embedding-004'],
}

export function modelList(family: 'openai' | 'anthropic' | 'gemini'): Reply {
  const ids = MODEL_IDS[family]
  if (family === 'openai') {
    return { kind: 'json', body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'openai' })) } }
  }
  if (family === 'anthropic') {
    const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }))
    return { kind: 'json', body: { data, has_more: false, first_id: ids[0], last_id: ids.at(-1) } }
  }
  const models = ids.map((id) => ({
    name: `models/${id}`,
    version: '001',
    displayName: id,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 8192,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
  }))
  return { kind: 'json', body: { models } }
}
