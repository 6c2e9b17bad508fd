/**
 * Usage readers shared by every channel. A channel only says where its usage and model live
 * (`UsageShape`); this module feeds it the answer, as one bounded JSON body or SSE `data:` payloads.
 * push() only copies bytes or splits lines: no parsing happens while the response is still streaming
 * to the client, except of the few SSE lines that mention usage or the model.
 */
import { ByteWindow, type CapturedText } from './byte-window.ts'
import { findJsonValue } from './json-scan.ts'
import { LineSplitter, sseData } from './sse-lines.ts'
import type { Usage, UsageReader } from './types.ts'

/** Token counts as one channel names them, merged field by field (a later value replaces an earlier one). */
export interface PartialUsage {
  prompt?: number
  completion?: number
  total?: number
  /** prompt tokens read from a cache, counted inside `prompt` */
  cached?: number
  /** prompt tokens written to a cache, counted inside `prompt` */
  cacheWrite?: number
}

export interface UsageShape {
  /** The member holding the usage object (`usage`, `usageMetadata`); the last one in the text wins. */
  usageKey: string
  /** The member naming the model (`model`, `modelVersion`). */
  modelKey: string
  /** Reads the usage object found under usageKey. */
  read(usage: Record<string, unknown>): PartialUsage
}

/** A non-negative integer count, or undefined when the field is absent or not a number. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined
}

/** Sum of the counts present, undefined when none is. */
export function sumCounts(...values: unknown[]): number | undefined {
  let total: number | undefined
  for (const v of values) {
    const n = count(v)
    if (n !== undefined) total = (total ?? 0) + n
  }
  return total
}

export function toUsage(p: PartialUsage): Usage | null {
  if (p.prompt === undefined && p.completion === undefined && p.total === undefined) return null
  const prompt_tokens = p.prompt ?? 0
  const completion_tokens = p.completion ?? 0
  const usage: Usage = { prompt_tokens, completion_tokens, total_tokens: p.total ?? prompt_tokens + completion_tokens }
  if (p.cached) usage.cached_tokens = p.cached
  if (p.cacheWrite) usage.cache_write_tokens = p.cacheWrite
  return usage
}

/** A count one level down (`prompt_tokens_details.cached_tokens`). */
export function nestedCount(value: unknown, key: string): number | undefined {
  return value && typeof value === 'object' ? count((value as Record<string, unknown>)[key]) : undefined
}

/** Answers up to this size are parsed whole when they are one object (larger ones are scanned). */
const WHOLE_PARSE_CHARS = 64 * 1024

/** Collects usage and model from JSON texts (whole bodies or SSE payloads) in the order they come. */
class UsageScanner {
  private usage: PartialUsage = {}
  private modelName: string | null = null

  constructor(private readonly shape: UsageShape) {}

  scan(captured: CapturedText): void {
    if (!captured.truncated && this.scanObject(captured.text)) return
    // The model is near the start of an answer, the usage near its end (tail first, then the head).
    const [forModel, forUsage] = captured.truncated
      ? [[captured.head, captured.tail], [captured.tail, captured.head]]
      : [[captured.text], [captured.text]]
    if (this.modelName === null) {
      for (const text of forModel) {
        const m = findJsonValue(text, this.shape.modelKey, 'first')
        if (typeof m === 'string' && m) {
          this.modelName = m
          break
        }
      }
    }
    for (const text of forUsage) {
      const u = findJsonValue(text, this.shape.usageKey, 'last')
      if (u && typeof u === 'object' && !Array.isArray(u)) {
        this.merge(this.shape.read(u as Record<string, unknown>))
        break
      }
    }
  }

  /**
   * A small whole answer that is one JSON object with its usage at the top (every channel's plain answer): one
   * native parse is cheaper than scanning it. Anything else (an array, no usage at the top) is scanned.
   */
  private scanObject(text: string): boolean {
    if (text.length > WHOLE_PARSE_CHARS || text.charCodeAt(0) !== 123 /* { */) return false
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      return false
    }
    const usage = (doc as Record<string, unknown>)[this.shape.usageKey]
    if (!usage || typeof usage !== 'object' || Array.isArray(usage)) return false
    const model = (doc as Record<string, unknown>)[this.shape.modelKey]
    if (this.modelName === null && typeof model === 'string' && model) this.modelName = model
    this.merge(this.shape.read(usage as Record<string, unknown>))
    return true
  }

  private merge(p: PartialUsage): void {
    if (p.prompt !== undefined) this.usage.prompt = p.prompt
    if (p.completion !== undefined) this.usage.completion = p.completion
    if (p.total !== undefined) this.usage.total = p.total
    if (p.cached !== undefined) this.usage.cached = p.cached
    if (p.cacheWrite !== undefined) this.usage.cacheWrite = p.cacheWrite
  }

  result(): Usage | null {
    return toUsage(this.usage)
  }

  model(): string | null {
    return this.modelName
  }
}

/** Reader for a whole JSON answer (also a JSON array, e.g. gemini streaming without `alt=sse`). */
function jsonReader(shape: UsageShape): UsageReader {
  const window = new ByteWindow()
  const scanner = new UsageScanner(shape)
  let done: Usage | null | undefined
  return {
    push: (chunk) => window.push(chunk),
    finish() {
      if (done === undefined) {
        scanner.scan(window.text())
        window.clear()
        done = scanner.result()
      }
      return done
    },
    model: () => scanner.model(),
  }
}

/** Reader for SSE: each `data:` line that may hold the usage or the model is scanned as it completes. */
function sseReader(shape: UsageShape): UsageReader {
  const scanner = new UsageScanner(shape)
  const usageNeedle = `"${shape.usageKey}"`
  const modelNeedle = `"${shape.modelKey}"`
  const splitter = new LineSplitter((line) => {
    const data = sseData(line)
    if (!data) return
    const mentions = (needle: string) =>
      data.truncated ? data.head.includes(needle) || data.tail.includes(needle) : data.text.includes(needle)
    if (mentions(usageNeedle) || (scanner.model() === null && mentions(modelNeedle))) scanner.scan(data)
  })
  let ended = false
  return {
    push: (chunk) => splitter.push(chunk),
    finish() {
      if (!ended) {
        splitter.end()
        ended = true
      }
      return scanner.result()
    },
    model: () => scanner.model(),
  }
}

export function createUsageReader(shape: UsageShape, stream: boolean): UsageReader {
  return stream ? sseReader(shape) : jsonReader(shape)
}
