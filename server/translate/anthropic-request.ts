/** Requests between Anthropic Messages and chat. https://docs.anthropic.com/en/api/messages */
import { dataUrl, imageOf, partsOf, stopList, textOf } from './chat-parts'
import { asRecord, Dropped, objectAt, objectsAt, parseArguments, TranslateError } from './errors'
import type {
  AnthropicMessageParam,
  AnthropicRequest,
  AnthropicTool,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatRequest,
  ContentBlockParam,
} from './types'

/** Anthropic requires max_tokens; chat may leave it out. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096

export function anthropicToChat(req: AnthropicRequest, dropped: Dropped): ChatRequest {
  objectsAt(req.messages, 'messages')
  const messages: ChatCompletionMessageParam[] = []
  if (req.system) {
    const text = typeof req.system === 'string' ? req.system : objectsAt<{ text: string }>(req.system, 'system').map((b) => b.text).join('\n')
    messages.push({ role: 'system', content: text })
  }
  req.messages.forEach((m, i) => messages.push(...anthropicMessageToChat(m, `messages[${i}]`, dropped)))
  const out: ChatRequest = { model: req.model, messages }
  out.max_tokens = req.max_tokens
  if (req.temperature !== undefined) out.temperature = req.temperature
  if (req.top_p !== undefined) out.top_p = req.top_p
  if (req.stop_sequences?.length) out.stop = req.stop_sequences
  if (req.stream) {
    out.stream = true
    out.stream_options = { include_usage: true }
  }
  if (req.metadata?.user_id) out.user = req.metadata.user_id
  if (req.tools !== undefined) out.tools = objectsAt<AnthropicTool>(req.tools, 'tools').flatMap((t, i) => anthropicToolToChat(t, i, dropped))
  if (!out.tools?.length) delete out.tools
  const choice = req.tool_choice === undefined ? undefined : objectAt<NonNullable<AnthropicRequest['tool_choice']>>(req.tool_choice, 'tool_choice')
  if (choice) {
    if (choice.type === 'auto') out.tool_choice = 'auto'
    else if (choice.type === 'any') out.tool_choice = 'required'
    else if (choice.type === 'none') out.tool_choice = 'none'
    else if (choice.type === 'tool') out.tool_choice = { type: 'function', function: { name: choice.name } }
    if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use) out.parallel_tool_calls = false
  }
  const format = req.output_config?.format
  if (format?.type === 'json_schema')
    out.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } }
  if (req.output_config?.effort) dropped.add('output_config.effort')
  if (hasCacheControl(req)) dropped.add('cache_control')
  dropped.ifSet(req, ['top_k', 'thinking', 'service_tier', 'container', 'mcp_servers', 'context_management'])
  return out
}

/** Prompt-caching marks (on the request, system, tools or blocks) have no meaning for another provider. */
function hasCacheControl(req: AnthropicRequest): boolean {
  const marked = (v: unknown) => Array.isArray(v) && v.some((b) => asRecord(b).cache_control)
  return Boolean(req.cache_control) || marked(req.system) || marked(req.tools) || req.messages.some((m) => marked(m.content))
}

function anthropicToolToChat(t: NonNullable<AnthropicRequest['tools']>[number], i: number, dropped: Dropped): ChatCompletionTool[] {
  const tool = t as AnthropicTool
  if (!('input_schema' in tool)) {
    dropped.add(`tools[${i}]`)
    return []
  }
  const fn: ChatCompletionTool['function'] = { name: tool.name, parameters: tool.input_schema as Record<string, unknown> }
  if (tool.description) fn.description = tool.description
  return [{ type: 'function', function: fn }]
}

function blocksOf(content: AnthropicMessageParam['content'], field: string): ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : objectsAt(content, field)
}

function anthropicMessageToChat(m: AnthropicMessageParam, field: string, dropped: Dropped): ChatCompletionMessageParam[] {
  const blocks = blocksOf(m.content, `${field}.content`)
  if (m.role === 'assistant') {
    let text = ''
    const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = []
    blocks.forEach((b, j) => {
      if (b.type === 'text') text += b.text
      else if (b.type === 'tool_use')
        calls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } })
      else if (b.type === 'thinking' || b.type === 'redacted_thinking') dropped.add(`${field}.content[${j}].${b.type}`)
      else throw new TranslateError(`${field}.content[${j}].type`, `"${b.type}" cannot be sent to this provider`)
    })
    const msg: ChatCompletionMessageParam = { role: 'assistant', content: text || null }
    if (calls.length) msg.tool_calls = calls
    return [msg]
  }
  // Tool results first: chat wants them right after the assistant turn that called the tools.
  const out: ChatCompletionMessageParam[] = []
  const parts: ChatCompletionContentPart[] = []
  blocks.forEach((b, j) => {
    const at = `${field}.content[${j}]`
    if (b.type === 'tool_result') {
      let content = ''
      if (typeof b.content === 'string') content = b.content
      else
        objectsAt<ContentBlockParam>(b.content ?? [], `${at}.content`).forEach((c, k) => {
          if (c.type === 'text') content += c.text
          // chat tool results are text only: an image a tool returned follows in the next user turn
          else if (c.type === 'image') {
            parts.push(imagePart(c, `${at}.content[${k}]`))
            content += '[image in the next message]'
          } else throw new TranslateError(`${at}.content[${k}].type`, 'only text and image tool results can be sent to this provider')
        })
      out.push({ role: 'tool', tool_call_id: b.tool_use_id, content: b.is_error ? `Error: ${content}` : content })
    } else if (b.type === 'text') parts.push({ type: 'text', text: b.text })
    else if (b.type === 'image') parts.push(imagePart(b, at))
    else throw new TranslateError(`${at}.type`, `"${b.type}" cannot be sent to this provider`)
  })
  if (parts.length) {
    const onlyText = parts.every((p) => p.type === 'text')
    out.push({ role: 'user', content: onlyText ? parts.map((p) => (p as { text: string }).text).join('') : parts })
  }
  return out
}

function imagePart(b: Extract<ContentBlockParam, { type: 'image' }>, at: string): ChatCompletionContentPart {
  const src = objectAt<typeof b.source>(b.source, `${at}.source`)
  if (src.type === 'base64') return { type: 'image_url', image_url: { url: dataUrl(src.media_type, src.data) } }
  if (src.type === 'url') return { type: 'image_url', image_url: { url: src.url } }
  throw new TranslateError(`${at}.source.type`, `"${src.type}" images cannot be sent to this provider`)
}

// ---- chat -> Anthropic ----

export function chatToAnthropic(req: ChatRequest, dropped: Dropped): AnthropicRequest {
  objectsAt(req.messages, 'messages')
  if (req.n !== undefined && req.n !== null && req.n > 1) throw new TranslateError('n', 'Anthropic answers one choice only')
  const system: string[] = []
  const messages: AnthropicMessageParam[] = []
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = messages.at(-1)
    if (last && last.role === role) (last.content as ContentBlockParam[]).push(...blocks)
    else messages.push({ role, content: blocks })
  }
  req.messages.forEach((m, i) => {
    const field = `messages[${i}]`
    if (m.role === 'system' || m.role === 'developer') system.push(textOf(m.content, `${field}.content`))
    else if (m.role === 'user') push('user', partsOf(m.content, `${field}.content`).map((p, j) => chatPartToAnthropic(p, `${field}.content[${j}]`)))
    else if (m.role === 'assistant') {
      const blocks: ContentBlockParam[] = []
      const text = textOf(m.content ?? '', `${field}.content`)
      if (text) blocks.push({ type: 'text', text })
      objectsAt<NonNullable<typeof m.tool_calls>[number]>(m.tool_calls ?? [], `${field}.tool_calls`).forEach((c, k) => {
        if (c.type !== 'function') throw new TranslateError(`${field}.tool_calls[${k}].type`, `"${c.type}" tools cannot be sent to Anthropic`)
        objectAt(c.function, `${field}.tool_calls[${k}].function`)
        blocks.push({ type: 'tool_use', id: c.id, name: c.function.name, input: parseArguments(c.function.arguments, `${field}.tool_calls[${k}].function.arguments`) })
      })
      if (blocks.length) push('assistant', blocks)
    } else if (m.role === 'tool') {
      push('user', [{ type: 'tool_result', tool_use_id: m.tool_call_id, content: textOf(m.content, `${field}.content`) }])
    } else throw new TranslateError(`${field}.role`, `"${m.role}" cannot be sent to Anthropic`)
  })
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS
  const out: AnthropicRequest = { model: req.model, max_tokens: maxTokens, messages }
  if (system.length) out.system = system.join('\n\n')
  // Anthropic's range is 0..1, chat's 0..2
  if (req.temperature !== undefined && req.temperature !== null) out.temperature = Math.min(1, req.temperature)
  // Current Claude models refuse temperature and top_p together: temperature wins.
  if (req.top_p !== undefined && req.top_p !== null) {
    if (out.temperature === undefined) out.top_p = req.top_p
    else dropped.add('top_p')
  }
  const stop = stopList(req.stop)
  if (stop?.length) out.stop_sequences = stop
  if (req.stream) out.stream = true
  const rf = req.response_format
  const jsonSchema = rf?.type === 'json_schema' ? objectAt<{ schema?: Record<string, unknown> }>(rf.json_schema, 'response_format.json_schema').schema : undefined
  if (jsonSchema) out.output_config = { format: { type: 'json_schema', schema: jsonSchema } }
  else if (rf && rf.type !== 'text') dropped.add('response_format')
  if (req.user) out.metadata = { user_id: req.user }
  if (req.tools !== undefined && req.tools !== null && (!Array.isArray(req.tools) || req.tools.length)) {
    out.tools = objectsAt<NonNullable<ChatRequest['tools']>[number]>(req.tools, 'tools').map((t, i) => {
      if (t.type !== 'function') throw new TranslateError(`tools[${i}].type`, `"${t.type}" tools cannot be sent to Anthropic`)
      objectAt(t.function, `tools[${i}].function`)
      const tool: AnthropicTool = {
        name: t.function.name,
        input_schema: (t.function.parameters ?? { type: 'object', properties: {} }) as AnthropicTool['input_schema'],
      }
      if (t.function.description) tool.description = t.function.description
      return tool
    })
  }
  const noParallel = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {}
  const tc = req.tool_choice
  if (tc === 'none') out.tool_choice = { type: 'none' }
  else if (tc === 'required') out.tool_choice = { type: 'any', ...noParallel }
  else if (tc && typeof tc === 'object' && tc.type === 'function')
    out.tool_choice = { type: 'tool', name: objectAt<{ name: string }>(tc.function, 'tool_choice.function').name, ...noParallel }
  else if (tc === 'auto' || req.parallel_tool_calls === false) out.tool_choice = { type: 'auto', ...noParallel }
  dropped.ifSet(req, [
    'presence_penalty', 'frequency_penalty', 'seed', 'logprobs', 'top_logprobs', 'logit_bias',
    'reasoning_effort', 'modalities', 'audio', 'service_tier', 'store', 'metadata', 'prediction', 'web_search_options',
  ])
  return out
}

function chatPartToAnthropic(p: ChatCompletionContentPart, field: string): ContentBlockParam {
  if (p.type === 'text') return { type: 'text', text: p.text }
  if (p.type === 'image_url') {
    const img = imageOf(objectAt<{ url: string }>(p.image_url, `${field}.image_url`).url)
    if (img.kind === 'url') return { type: 'image', source: { type: 'url', url: img.url } }
    const media = img.mediaType as 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
    if (!['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(media))
      throw new TranslateError(`${field}.image_url`, `${img.mediaType} images cannot be sent to Anthropic`)
    return { type: 'image', source: { type: 'base64', media_type: media, data: img.data } }
  }
  throw new TranslateError(`${field}.type`, `"${p.type}" cannot be sent to Anthropic`)
}
