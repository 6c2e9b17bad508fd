/**
 * Usage reported inside WebSocket frames, summed over a session (each event counts one model turn):
 * - OpenAI Realtime `response.done` and Responses WebSocket mode `response.completed`: `response.usage`
 *   with input/output/total tokens (https://platform.openai.com/docs/api-reference/realtime-server-events);
 * - Gemini Live server messages: `usageMetadata` with prompt/response/total token counts
 *   (https://ai.google.dev/api/live).
 * Only frames that name one of those are parsed: audio deltas (large base64 text) are looked at, never parsed.
 */
import { count, sumCounts } from '../channels/usage'
import type { Usage } from '../channels/types'

const MARKERS = ['"response.done"', '"response.completed"', '"usageMetadata"'] as const
// A usage event is small; a frame much larger than this is media, not worth decoding to look for one.
const MAX_SCANNED = 1_048_576
const decoder = new TextDecoder()

export class FrameUsage {
  private prompt = 0
  private completion = 0
  private total = 0
  private seen = false
  /** model named by the upstream (`response.model`), when any */
  model: string | null = null

  /** Upstream frame (text, or binary: Gemini Live sends its JSON as binary frames). */
  push(frame: string | ArrayBuffer | Uint8Array): void {
    const size = typeof frame === 'string' ? frame.length : frame.byteLength
    if (size > MAX_SCANNED) return
    if (typeof frame !== 'string') {
      const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame)
      // JSON objects start with '{' (maybe after whitespace); anything else is audio or another binary payload
      if (bytes.length === 0 || (bytes[0] !== 0x7b && bytes[0] !== 0x20 && bytes[0] !== 0x0a)) return
      frame = decoder.decode(bytes)
    }
    if (!MARKERS.some((m) => (frame as string).includes(m))) return
    let event: Record<string, unknown>
    try {
      const parsed = JSON.parse(frame) as unknown
      if (!parsed || typeof parsed !== 'object') return
      event = parsed as Record<string, unknown>
    } catch {
      return
    }
    if (event.type === 'response.done' || event.type === 'response.completed') {
      const response = event.response as Record<string, unknown> | undefined
      if (typeof response?.model === 'string' && response.model) this.model ??= response.model
      const u = response?.usage as Record<string, unknown> | undefined
      if (u && typeof u === 'object') this.add(count(u.input_tokens), count(u.output_tokens), count(u.total_tokens))
      return
    }
    const u = event.usageMetadata as Record<string, unknown> | undefined
    if (u && typeof u === 'object')
      this.add(
        sumCounts(u.promptTokenCount, u.toolUsePromptTokenCount),
        // thinking tokens are billed as output but reported apart from the response
        sumCounts(u.responseTokenCount, u.candidatesTokenCount, u.thoughtsTokenCount),
        count(u.totalTokenCount),
      )
  }

  private add(prompt: number | undefined, completion: number | undefined, total: number | undefined): void {
    if (prompt === undefined && completion === undefined && total === undefined) return
    this.seen = true
    this.prompt += prompt ?? 0
    this.completion += completion ?? 0
    this.total += total ?? (prompt ?? 0) + (completion ?? 0)
  }

  result(): Usage | null {
    return this.seen ? { prompt_tokens: this.prompt, completion_tokens: this.completion, total_tokens: this.total } : null
  }
}

/**
 * The model a client names in its first frames: Gemini Live's `setup.model` ("models/gemini-…"), or the
 * `model` of a Responses WebSocket `response.create`. Only text frames that mention "model" are parsed.
 */
export function clientFrameModel(frame: string): string | null {
  if (frame.length > MAX_SCANNED || !frame.includes('"model"')) return null
  try {
    const j = JSON.parse(frame) as { model?: unknown; setup?: { model?: unknown }; response?: { model?: unknown } }
    const m = j.setup?.model ?? j.model ?? j.response?.model
    return typeof m === 'string' && m ? m.replace(/^models\//, '') : null
  } catch {
    return null
  }
}
