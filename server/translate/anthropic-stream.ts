/**
 * Anthropic Messages streams <-> chat chunks.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
import { chunk, type StreamDecoder, type StreamEncoder } from './chat-stream'
import { newId } from './chat-parts'
import { fromAnthropicStop, toAnthropicStop } from './finish-map'
import { errorFromBody } from './error-map'
import { sseEvent } from './sse'
import { fromAnthropicUsage, toAnthropicUsage } from './usage-map'
import type { AnthropicStreamEvent, AnthropicUsage, ChatCompletionChunk, CompletionUsage } from './types'

export function anthropicDecoder(): StreamDecoder {
  let id = ''
  let model = ''
  let usage: Partial<AnthropicUsage> = {}
  /** content block index -> chat tool_call index */
  const tools = new Map<number, number>()
  let ended = false
  const usageChunk = (): ChatCompletionChunk => ({ ...chunk(id, model, {}), choices: [], usage: fromAnthropicUsage(usage) })
  return {
    event(ev) {
      if (!ev.data) return []
      let e: AnthropicStreamEvent | { type: 'error'; error: unknown } | { type: 'ping' }
      try {
        e = JSON.parse(ev.data)
      } catch {
        return []
      }
      switch (e.type) {
        case 'message_start':
          id = e.message.id
          model = e.message.model
          usage = { ...e.message.usage }
          return [{ chunk: chunk(id, model, { role: 'assistant', content: '' }) }]
        case 'content_block_start': {
          const b = e.content_block
          if (b.type === 'text' && b.text) return [{ chunk: chunk(id, model, { content: b.text }) }]
          if (b.type !== 'tool_use') return []
          const index = tools.size
          tools.set(e.index, index)
          return [{ chunk: chunk(id, model, { tool_calls: [{ index, id: b.id, type: 'function', function: { name: b.name, arguments: '' } }] }) }]
        }
        case 'content_block_delta': {
          const d = e.delta
          if (d.type === 'text_delta') return [{ chunk: chunk(id, model, { content: d.text }) }]
          const index = tools.get(e.index)
          if (d.type === 'input_json_delta' && index !== undefined)
            return [{ chunk: chunk(id, model, { tool_calls: [{ index, function: { arguments: d.partial_json } }] }) }]
          return []
        }
        case 'message_delta':
          for (const [k, v] of Object.entries(e.usage ?? {})) if (typeof v === 'number') (usage as Record<string, number>)[k] = v
          return [{ chunk: chunk(id, model, {}, fromAnthropicStop(e.delta.stop_reason)) }]
        case 'message_stop':
          ended = true
          return [{ chunk: usageChunk() }]
        case 'error':
          return [{ error: errorFromBody(500, e) }]
        default:
          return []
      }
    },
    end: () => (ended || !id ? [] : [{ chunk: usageChunk() }]),
  }
}

/** Chat chunks to Anthropic events. Text and each tool call become content blocks in the order they start. */
export function anthropicEncoder(fallbackModel: string): StreamEncoder {
  let started = false
  let block = -1
  let open: { kind: 'text' } | { kind: 'tool'; tool: number } | null = null
  const toolBlocks = new Map<number, number>()
  let finish: string | null = null
  let usage: CompletionUsage | null = null
  let out = ''
  const start = (c: ChatCompletionChunk | null) => {
    if (started) return
    started = true
    const message = {
      id: c?.id ? `msg_${c.id}` : newId('msg_'),
      type: 'message',
      role: 'assistant',
      model: c?.model || fallbackModel,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    }
    out += sseEvent('message_start', { type: 'message_start', message })
  }
  const close = () => {
    if (open) out += sseEvent('content_block_stop', { type: 'content_block_stop', index: block })
    open = null
  }
  const openBlock = (content_block: object) => {
    close()
    block++
    out += sseEvent('content_block_start', { type: 'content_block_start', index: block, content_block })
  }
  return {
    item(it) {
      out = ''
      if ('error' in it) {
        out += sseEvent('error', { type: 'error', error: { type: 'api_error', message: it.error.message } })
        return out
      }
      const c = it.chunk
      start(c)
      if (c.usage) usage = c.usage
      const choice = c.choices?.[0]
      if (!choice) return out
      const d = choice.delta ?? {}
      if (d.content) {
        if (open?.kind !== 'text') {
          openBlock({ type: 'text', text: '' })
          open = { kind: 'text' }
        }
        out += sseEvent('content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'text_delta', text: d.content } })
      }
      for (const tc of d.tool_calls ?? []) {
        if (!toolBlocks.has(tc.index)) {
          openBlock({ type: 'tool_use', id: tc.id ?? newId('toolu_'), name: tc.function?.name ?? '', input: {} })
          open = { kind: 'tool', tool: tc.index }
          toolBlocks.set(tc.index, block)
        }
        const args = tc.function?.arguments
        if (args)
          out += sseEvent('content_block_delta', { type: 'content_block_delta', index: toolBlocks.get(tc.index), delta: { type: 'input_json_delta', partial_json: args } })
      }
      if (choice.finish_reason) finish = choice.finish_reason
      return out
    },
    end() {
      out = ''
      start(null)
      close()
      const u = toAnthropicUsage(usage)
      out += sseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: toAnthropicStop(finish), stop_sequence: null }, usage: u })
      out += sseEvent('message_stop', { type: 'message_stop' })
      return out
    },
  }
}
