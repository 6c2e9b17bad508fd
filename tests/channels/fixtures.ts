/** Real-looking provider answers (shapes as documented by each provider), for the usage readers. */
const sse = (...events: object[]) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')
const named = (...events: [string, object][]) =>
  events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('')

export const openaiChatJson = JSON.stringify({
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! Ça va? 👋', refusal: null }, finish_reason: 'stop' }],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 10,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
  service_tier: 'default',
})

const chunk = (delta: object, finish: string | null = null) => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  usage: null,
})
export const openaiChatSse =
  sse(chunk({ role: 'assistant', content: '' }), chunk({ content: 'Héllo' }), chunk({ content: ' wörld 🌍' }), chunk({}, 'stop'), {
    ...chunk({}),
    choices: [],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
  }) + 'data: [DONE]\n\n'

const response = (status: string, usage: object | null) => ({
  id: 'resp_67ccd3a9da748190baa7f1570fe91ac6',
  object: 'response',
  created_at: 1741476777,
  status,
  model: 'gpt-4o-2024-08-06',
  output: usage ? [{ type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Olá 🙂', annotations: [] }] }] : [],
  usage,
})
const responsesUsage = { input_tokens: 36, input_tokens_details: { cached_tokens: 0 }, output_tokens: 87, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 123 }
export const responsesJson = JSON.stringify(response('completed', responsesUsage))
export const responsesSse = named(
  ['response.created', { type: 'response.created', sequence_number: 0, response: response('in_progress', null) }],
  ['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Olá 🙂' }],
  ['response.completed', { type: 'response.completed', sequence_number: 2, response: response('completed', responsesUsage) }],
)

export const anthropicJson = JSON.stringify({
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-20241022',
  content: [{ type: 'text', text: 'Bonjour ✨' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
})
export const anthropicSse = named(
  ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-20250514', stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, cache_creation_input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['ping', { type: 'ping' }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Grüße 🎉' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }],
  ['message_stop', { type: 'message_stop' }],
)

const geminiChunk = (text: string, candidates: number, last: boolean) => ({
  candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
  usageMetadata: { promptTokenCount: 8, candidatesTokenCount: candidates, totalTokenCount: 8 + candidates, ...(last ? { thoughtsTokenCount: 4 } : {}) },
  modelVersion: 'gemini-2.0-flash-001',
  responseId: 'abc',
})
export const geminiJson = JSON.stringify(geminiChunk('こんにちは', 5, true))
/** streamGenerateContent without alt=sse: a pretty-printed JSON array streamed element by element. */
export const geminiArray = `[${[geminiChunk('こん', 2, false), geminiChunk('にちは', 5, true)].map((c) => JSON.stringify(c, null, 2)).join(',\r\n')}]`
export const geminiSse = [geminiChunk('こん', 2, false), geminiChunk('にちは', 5, true)]
  .map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`)
  .join('')
