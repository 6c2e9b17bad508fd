/**
 * OpenAI Responses requests to chat, for upstreams that only speak Chat Completions.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
import { Dropped, TranslateError, objectsAt } from './errors'
import type { ChatCompletionContentPart, ChatCompletionMessageParam, ChatCompletionTool, ChatRequest, ResponseCreateParams } from './types'

type Item = Record<string, unknown>

export function responsesToChat(req: ResponseCreateParams, dropped: Dropped): ChatRequest {
  if (req.previous_response_id) throw new TranslateError('previous_response_id', 'keypool keeps no conversation state; send the whole input')
  if (req.conversation) throw new TranslateError('conversation', 'keypool keeps no conversation state; send the whole input')
  if (!req.model) throw new TranslateError('model', 'is required')
  const messages: ChatCompletionMessageParam[] = []
  if (typeof req.instructions === 'string' && req.instructions) messages.push({ role: 'system', content: req.instructions })
  if (typeof req.input === 'string') messages.push({ role: 'user', content: req.input })
  else if (Array.isArray(req.input)) objectsAt<Item>(req.input, 'input').forEach((it, i) => inputItem(it, `input[${i}]`, messages, dropped))
  else if (req.input !== undefined) throw new TranslateError('input', 'must be a string or a list of items')
  const out: ChatRequest = { model: req.model, messages }
  if (req.max_output_tokens !== undefined && req.max_output_tokens !== null) out.max_tokens = req.max_output_tokens
  if (req.temperature !== undefined && req.temperature !== null) out.temperature = req.temperature
  if (req.top_p !== undefined && req.top_p !== null) out.top_p = req.top_p
  if (req.parallel_tool_calls !== undefined && req.parallel_tool_calls !== null) out.parallel_tool_calls = req.parallel_tool_calls
  if (req.user) out.user = req.user
  if (req.stream) {
    out.stream = true
    out.stream_options = { include_usage: true }
  }
  const format = req.text?.format
  if (format?.type === 'json_object') out.response_format = { type: 'json_object' }
  else if (format?.type === 'json_schema')
    out.response_format = {
      type: 'json_schema',
      json_schema: { name: format.name, schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}) },
    }
  if (req.tools?.length) {
    const tools: ChatCompletionTool[] = []
    objectsAt<NonNullable<ResponseCreateParams['tools']>[number]>(req.tools, 'tools').forEach((t, i) => {
      if (t.type !== 'function') return dropped.add(`tools[${i}]`)
      const fn: ChatCompletionTool['function'] = { name: t.name, parameters: (t.parameters ?? { type: 'object', properties: {} }) as Record<string, unknown> }
      if (t.description) fn.description = t.description
      if (t.strict !== undefined && t.strict !== null) fn.strict = t.strict
      tools.push({ type: 'function', function: fn })
    })
    if (tools.length) out.tools = tools
  }
  const tc = req.tool_choice
  if (tc === 'auto' || tc === 'none' || tc === 'required') out.tool_choice = tc
  else if (tc && typeof tc === 'object' && tc.type === 'function') out.tool_choice = { type: 'function', function: { name: tc.name } }
  else if (tc) dropped.add('tool_choice')
  dropped.ifSet(req, ['reasoning', 'store', 'include', 'truncation', 'metadata', 'background', 'service_tier', 'prompt', 'top_logprobs', 'max_tool_calls', 'safety_identifier', 'prompt_cache_key'])
  return out
}

function inputItem(it: Item, field: string, messages: ChatCompletionMessageParam[], dropped: Dropped): void {
  const type = it.type ?? 'message'
  if (type === 'message') {
    const role = it.role as string
    const content = typeof it.content === 'string' ? it.content : objectsAt<Item>(it.content, `${field}.content`)
    if (role === 'assistant') {
      const text = typeof content === 'string' ? content : content.map((c) => String(c.text ?? c.refusal ?? '')).join('')
      messages.push({ role: 'assistant', content: text })
    } else if (role === 'system' || role === 'developer') {
      const text = typeof content === 'string' ? content : content.map((c, j) => textPart(c, `${field}.content[${j}]`)).join('')
      messages.push({ role: 'system', content: text })
    } else if (role === 'user') {
      if (typeof content === 'string') return void messages.push({ role: 'user', content })
      const parts = content.map((c, j) => userPart(c, `${field}.content[${j}]`))
      messages.push({ role: 'user', content: parts })
    } else throw new TranslateError(`${field}.role`, `"${role}" is not a message role`)
  } else if (type === 'function_call') {
    const call = { id: String(it.call_id), type: 'function' as const, function: { name: String(it.name), arguments: String(it.arguments ?? '') } }
    const last = messages.at(-1)
    // Parallel calls arrive as consecutive items; chat holds them in one assistant message.
    if (last?.role === 'assistant' && last.tool_calls?.length && !last.content) last.tool_calls.push(call)
    else messages.push({ role: 'assistant', content: null, tool_calls: [call] })
  } else if (type === 'function_call_output') {
    const output = it.output
    const text = typeof output === 'string' ? output : objectsAt<Item>(output, `${field}.output`).map((c, j) => textPart(c, `${field}.output[${j}]`)).join('')
    messages.push({ role: 'tool', tool_call_id: String(it.call_id), content: text })
  } else if (type === 'reasoning') dropped.add(`${field}.reasoning`)
  else throw new TranslateError(`${field}.type`, `"${String(type)}" items cannot be sent to a Chat Completions upstream`)
}

function textPart(c: Item, field: string): string {
  if (typeof c.text === 'string') return c.text
  throw new TranslateError(`${field}.type`, 'only text is allowed here')
}

function userPart(c: Item, field: string): ChatCompletionContentPart {
  if (c.type === 'input_text' || c.type === 'output_text') return { type: 'text', text: String(c.text ?? '') }
  if (c.type === 'input_image' && typeof c.image_url === 'string') {
    const detail = c.detail === 'low' || c.detail === 'high' ? { detail: c.detail as 'low' | 'high' } : {}
    return { type: 'image_url', image_url: { url: c.image_url, ...detail } }
  }
  throw new TranslateError(`${field}.type`, `"${String(c.type)}" cannot be sent to a Chat Completions upstream`)
}
