/** Chat Completions streams as the intermediate form: read from an OpenAI upstream, written to an OpenAI caller. */
import { errorFromBody } from './error-map'
import type { SseEvent } from './sse'
import { sseData } from './sse'
import type { ChatCompletionChunk, StreamItem } from './types'

export interface StreamDecoder {
  event(ev: SseEvent): StreamItem[]
  end(): StreamItem[]
}

export interface StreamEncoder {
  item(it: StreamItem): string
  end(): string
}

export function chatDecoder(): StreamDecoder {
  return {
    event(ev) {
      if (ev.data === '[DONE]' || !ev.data) return []
      let v: unknown
      try {
        v = JSON.parse(ev.data)
      } catch {
        return []
      }
      const o = v as Record<string, unknown>
      if (o.error) return [{ error: errorFromBody(500, o) }]
      return [{ chunk: v as ChatCompletionChunk }]
    },
    end: () => [],
  }
}

/** `includeUsage`: the caller asked for `stream_options.include_usage`; otherwise the usage-only chunk is not sent. */
export function chatEncoder(includeUsage: boolean): StreamEncoder {
  return {
    item(it) {
      if ('error' in it) return sseData({ error: { message: it.error.message, type: 'api_error', code: it.error.code ?? null } })
      if (!includeUsage && it.chunk.usage && !it.chunk.choices?.length) return ''
      return sseData(it.chunk)
    },
    end: () => 'data: [DONE]\n\n',
  }
}

/** A chat chunk with one choice, as the decoders build them. */
export function chunk(id: string, model: string, delta: ChatCompletionChunk.Choice['delta'], finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk {
  return { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] }
}
