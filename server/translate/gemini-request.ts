/**
 * Requests between Gemini generateContent and chat. https://ai.google.dev/api/generate-content
 * Gemini function calls carry no id (or an optional one); chat needs ids, so calls get positional ids and each
 * functionResponse is matched to the earliest open call of the same name.
 */
import { imageOf, partsOf, stopList, textOf } from './chat-parts'
import { asRecord, Dropped, objectAt, objectsAt, parseArguments, TranslateError } from './errors'
import type { ChatCompletionContentPart, ChatCompletionMessageParam, ChatRequest, GeminiContent, GeminiPart, GeminiRequest } from './types'

export const GEMINI_PATH = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/

export function geminiToChat(req: GeminiRequest, model: string, stream: boolean, dropped: Dropped): ChatRequest {
  objectsAt(req.contents, 'contents')
  const messages: ChatCompletionMessageParam[] = []
  const sys = req.systemInstruction
  if (sys) {
    const text = typeof sys === 'string' ? sys : objectsAt<GeminiPart>(objectAt<GeminiContent>(sys, 'systemInstruction').parts ?? [], 'systemInstruction.parts').map((p) => p.text ?? '').join('')
    if (text) messages.push({ role: 'system', content: text })
  }
  const open: { id: string; name: string }[] = []
  let callSeq = 0
  req.contents.forEach((c, i) => {
    const field = `contents[${i}]`
    const parts = objectsAt<GeminiPart>(c.parts ?? [], `${field}.parts`)
    if (c.role === 'model') {
      let text = ''
      const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = []
      parts.forEach((p, j) => {
        if (p.thought) return dropped.add(`${field}.parts[${j}].thought`)
        if (p.text !== undefined) text += p.text
        else if (p.functionCall) {
          const id = p.functionCall.id ?? `call_${++callSeq}`
          const name = p.functionCall.name ?? ''
          open.push({ id, name })
          calls.push({ id, type: 'function', function: { name, arguments: JSON.stringify(p.functionCall.args ?? {}) } })
        } else throw new TranslateError(`${field}.parts[${j}]`, 'this part cannot be sent to this provider')
      })
      const msg: ChatCompletionMessageParam = { role: 'assistant', content: text || null }
      if (calls.length) msg.tool_calls = calls
      messages.push(msg)
      return
    }
    const content: ChatCompletionContentPart[] = []
    parts.forEach((p, j) => {
      const at = `${field}.parts[${j}]`
      if (p.text !== undefined) content.push({ type: 'text', text: p.text })
      else if (p.inlineData) {
        const mime = p.inlineData.mimeType ?? ''
        if (typeof mime !== 'string' || !mime.startsWith('image/')) throw new TranslateError(`${at}.inlineData.mimeType`, `${mime} cannot be sent to this provider`)
        content.push({ type: 'image_url', image_url: { url: `data:${mime};base64,${p.inlineData.data ?? ''}` } })
      } else if (p.fileData?.fileUri) content.push({ type: 'image_url', image_url: { url: p.fileData.fileUri } })
      else if (p.functionResponse) {
        const name = p.functionResponse.name ?? ''
        const k = p.functionResponse.id ? open.findIndex((o) => o.id === p.functionResponse!.id) : open.findIndex((o) => o.name === name)
        const id = k === -1 ? (p.functionResponse.id ?? `call_${++callSeq}`) : open.splice(k, 1)[0]!.id
        messages.push({ role: 'tool', tool_call_id: id, content: JSON.stringify(p.functionResponse.response ?? {}) })
      } else throw new TranslateError(at, 'this part cannot be sent to this provider')
    })
    if (content.length) {
      const onlyText = content.every((p) => p.type === 'text')
      messages.push({ role: 'user', content: onlyText ? content.map((p) => (p as { text: string }).text).join('') : content })
    }
  })
  const out: ChatRequest = { model, messages }
  const g = req.generationConfig ?? {}
  if (g.maxOutputTokens !== undefined) out.max_tokens = g.maxOutputTokens
  if (g.temperature !== undefined) out.temperature = g.temperature
  if (g.topP !== undefined) out.top_p = g.topP
  if (g.stopSequences?.length) out.stop = g.stopSequences
  if (g.candidateCount !== undefined && g.candidateCount !== 1) out.n = g.candidateCount
  if (g.presencePenalty !== undefined) out.presence_penalty = g.presencePenalty
  if (g.frequencyPenalty !== undefined) out.frequency_penalty = g.frequencyPenalty
  if (g.seed !== undefined) out.seed = g.seed
  if (g.responseMimeType === 'application/json') {
    const schema = g.responseJsonSchema ?? (g.responseSchema ? lowerTypes(g.responseSchema) : undefined)
    out.response_format = schema
      ? { type: 'json_schema', json_schema: { name: 'output', schema: schema as Record<string, unknown> } }
      : { type: 'json_object' }
  }
  dropped.ifSet(g, ['topK', 'thinkingConfig', 'responseModalities', 'speechConfig', 'mediaResolution', 'responseLogprobs', 'logprobs'], 'generationConfig.')
  dropped.ifSet(req, ['safetySettings', 'cachedContent'])
  const tools = objectsAt<NonNullable<GeminiRequest['tools']>[number]>(req.tools ?? [], 'tools').flatMap((t, i) => {
    const extra = Object.keys(t).filter((k) => k !== 'functionDeclarations')
    for (const k of extra) dropped.add(`tools[${i}].${k}`)
    return objectsAt<NonNullable<typeof t.functionDeclarations>[number]>(t.functionDeclarations ?? [], `tools[${i}].functionDeclarations`).map((f) => ({
      type: 'function' as const,
      function: {
        name: f.name ?? '',
        ...(f.description ? { description: f.description } : {}),
        parameters: (f.parametersJsonSchema ?? (f.parameters ? lowerTypes(f.parameters) : { type: 'object', properties: {} })) as Record<string, unknown>,
      },
    }))
  })
  if (tools.length) out.tools = tools
  const fc = req.toolConfig?.functionCallingConfig
  if (fc?.mode === 'NONE') out.tool_choice = 'none'
  else if (fc?.mode === 'ANY') {
    const names = fc.allowedFunctionNames ?? []
    out.tool_choice = names.length === 1 ? { type: 'function', function: { name: names[0]! } } : 'required'
  } else if (fc?.mode === 'AUTO') out.tool_choice = 'auto'
  if (stream) {
    out.stream = true
    out.stream_options = { include_usage: true }
  }
  return out
}

/** Gemini's OpenAPI-style schemas spell types upper-case (`OBJECT`); JSON Schema wants them lower-case. */
function lowerTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerTypes)
  if (!schema || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'type' && typeof v === 'string' ? v.toLowerCase() : lowerTypes(v)
  return out
}

// ---- chat -> Gemini ----

export function chatToGemini(req: ChatRequest, dropped: Dropped): { path: string; body: GeminiRequest } {
  objectsAt(req.messages, 'messages')
  const system: string[] = []
  const contents: GeminiContent[] = []
  const names = new Map<string, string>()
  const push = (role: 'user' | 'model', parts: GeminiPart[]) => {
    const last = contents.at(-1)
    if (last && last.role === role) last.parts!.push(...parts)
    else contents.push({ role, parts })
  }
  req.messages.forEach((m, i) => {
    const field = `messages[${i}]`
    if (m.role === 'system' || m.role === 'developer') system.push(textOf(m.content, `${field}.content`))
    else if (m.role === 'user') push('user', partsOf(m.content, `${field}.content`).map((p, j) => chatPartToGemini(p, `${field}.content[${j}]`)))
    else if (m.role === 'assistant') {
      const parts: GeminiPart[] = []
      const text = textOf(m.content ?? '', `${field}.content`)
      if (text) parts.push({ text })
      objectsAt<NonNullable<typeof m.tool_calls>[number]>(m.tool_calls ?? [], `${field}.tool_calls`).forEach((c, k) => {
        if (c.type !== 'function') throw new TranslateError(`${field}.tool_calls[${k}].type`, `"${c.type}" tools cannot be sent to Gemini`)
        objectAt(c.function, `${field}.tool_calls[${k}].function`)
        names.set(c.id, c.function.name)
        parts.push({ functionCall: { name: c.function.name, args: parseArguments(c.function.arguments, `${field}.tool_calls[${k}].function.arguments`) } })
      })
      if (parts.length) push('model', parts)
    } else if (m.role === 'tool') {
      const name = names.get(m.tool_call_id)
      if (!name) throw new TranslateError(`${field}.tool_call_id`, 'names no earlier tool call (Gemini needs the function name)')
      push('user', [{ functionResponse: { name, response: toolResponse(textOf(m.content, `${field}.content`)) } }])
    } else throw new TranslateError(`${field}.role`, `"${m.role}" cannot be sent to Gemini`)
  })
  const body: GeminiRequest = { contents }
  if (system.length) body.systemInstruction = { parts: [{ text: system.join('\n\n') }] }
  const g: NonNullable<GeminiRequest['generationConfig']> = {}
  const max = req.max_completion_tokens ?? req.max_tokens
  if (max !== undefined && max !== null) g.maxOutputTokens = max
  if (req.temperature !== undefined && req.temperature !== null) g.temperature = req.temperature
  if (req.top_p !== undefined && req.top_p !== null) g.topP = req.top_p
  const stop = stopList(req.stop)
  if (stop?.length) g.stopSequences = stop
  if (req.n !== undefined && req.n !== null && req.n !== 1) g.candidateCount = req.n
  if (req.presence_penalty !== undefined && req.presence_penalty !== null) g.presencePenalty = req.presence_penalty
  if (req.frequency_penalty !== undefined && req.frequency_penalty !== null) g.frequencyPenalty = req.frequency_penalty
  if (req.seed !== undefined && req.seed !== null) g.seed = req.seed
  const rf = req.response_format
  if (rf?.type === 'json_object') g.responseMimeType = 'application/json'
  else if (rf?.type === 'json_schema') {
    g.responseMimeType = 'application/json'
    const schema = objectAt<{ schema?: unknown }>(rf.json_schema, 'response_format.json_schema').schema
    if (schema) g.responseJsonSchema = schema
  }
  if (Object.keys(g).length) body.generationConfig = g
  if (req.tools?.length) {
    body.tools = [
      {
        functionDeclarations: objectsAt<NonNullable<ChatRequest['tools']>[number]>(req.tools, 'tools').map((t, i) => {
          if (t.type !== 'function') throw new TranslateError(`tools[${i}].type`, `"${t.type}" tools cannot be sent to Gemini`)
          objectAt(t.function, `tools[${i}].function`)
          return {
            name: t.function.name,
            ...(t.function.description ? { description: t.function.description } : {}),
            ...(t.function.parameters ? { parametersJsonSchema: t.function.parameters } : {}),
          }
        }),
      },
    ]
  }
  const tc = req.tool_choice
  if (tc === 'none') body.toolConfig = { functionCallingConfig: { mode: 'NONE' as never } }
  else if (tc === 'required') body.toolConfig = { functionCallingConfig: { mode: 'ANY' as never } }
  else if (tc === 'auto') body.toolConfig = { functionCallingConfig: { mode: 'AUTO' as never } }
  else if (tc && typeof tc === 'object' && tc.type === 'function')
    body.toolConfig = { functionCallingConfig: { mode: 'ANY' as never, allowedFunctionNames: [objectAt<{ name: string }>(tc.function, 'tool_choice.function').name] } }
  dropped.ifSet(req, ['logprobs', 'top_logprobs', 'logit_bias', 'user', 'reasoning_effort', 'modalities', 'audio', 'service_tier', 'store', 'metadata', 'prediction', 'web_search_options'])
  if (req.parallel_tool_calls === false) dropped.add('parallel_tool_calls')
  const model = encodeURIComponent(req.model)
  const path = req.stream ? `/v1beta/models/${model}:streamGenerateContent?alt=sse` : `/v1beta/models/${model}:generateContent`
  return { path, body }
}

/** Gemini wants a JSON object as a function's response: a JSON object result is sent as is, else wrapped. */
function toolResponse(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text)
    if (v && typeof v === 'object' && !Array.isArray(v)) return asRecord(v)
  } catch {}
  return { result: text }
}

function chatPartToGemini(p: ChatCompletionContentPart, field: string): GeminiPart {
  if (p.type === 'text') return { text: p.text }
  if (p.type === 'image_url') {
    const img = imageOf(objectAt<{ url: string }>(p.image_url, `${field}.image_url`).url)
    if (img.kind === 'url') throw new TranslateError(`${field}.image_url.url`, 'Gemini takes images inline (base64 data: URL) only')
    return { inlineData: { mimeType: img.mediaType, data: img.data } }
  }
  throw new TranslateError(`${field}.type`, `"${p.type}" cannot be sent to Gemini`)
}

