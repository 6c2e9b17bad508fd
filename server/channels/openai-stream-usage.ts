/**
 * OpenAI chat streams carry usage only when the request asks (`stream_options.include_usage`); then every chunk gets
 * `"usage":null` and one extra chunk before `[DONE]` has `"choices":[]` and the usage
 * (https://platform.openai.com/docs/api-reference/chat/create#chat-create-stream_options). When keypool needs the
 * usage and the client did not ask, `askStreamUsage` asks upstream and `UsageChunkFilter` takes out again what the
 * asking added, so the client gets the stream it asked for. The filter holds back at most the one SSE line not yet
 * complete: every line goes out the moment its newline arrives, in the chunk that completed it.
 */
import { nestsDeeper } from '../shared/json-depth'
import { concat } from './byte-window.ts'
import { barePath } from './credentials.ts'

const STREAMING_PATHS = new Set(['/v1/chat/completions', '/chat/completions', '/v1/completions', '/completions'])
const MAX_DEPTH = 256
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const STREAM_NEEDLE = Buffer.from('"stream"')

/** The request body asking for stream usage, or null when it is no stream, already asks, or is not a JSON object. */
export function askStreamUsage(path: string, body: Uint8Array | null): Uint8Array | null {
  if (!body || body.byteLength === 0 || !STREAMING_PATHS.has(barePath(path))) return null
  // most requests are not streams: a byte search decides that before any decoding or parsing
  if (Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(STREAM_NEEDLE) === -1) return null
  const text = decoder.decode(body)
  if (nestsDeeper(text, MAX_DEPTH)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null
  const req = parsed as Record<string, unknown>
  if (req.stream !== true) return null
  const options = req.stream_options
  if (options && typeof options === 'object' && (options as Record<string, unknown>).include_usage === true) return null
  req.stream_options = { ...(options && typeof options === 'object' && !Array.isArray(options) ? options : {}), include_usage: true }
  return encoder.encode(JSON.stringify(req))
}

/** A line longer than this is no OpenAI chunk: the filter stops filtering rather than hold it. */
const MAX_LINE = 1 << 20
const NL = 10
const USAGE_NEEDLE = Buffer.from('"usage"')
// `"usage":null` as a member, with the comma that joins it to its neighbour (either side)
const USAGE_NULL = /,\s*"usage"\s*:\s*null(?=\s*[,}])|"usage"\s*:\s*null\s*,/

export class UsageChunkFilter {
  private carry: Uint8Array | null = null
  /** the usage chunk's line was dropped: the blank line that ends its event goes too */
  private dropBlank = false
  private passThrough = false

  /** The bytes of `chunk` the client gets: whole lines only, the incomplete last one kept for the next chunk. */
  push(chunk: Uint8Array): Uint8Array {
    if (this.passThrough) return chunk
    const data = this.carry ? concat([this.carry, chunk]) : chunk
    const last = data.lastIndexOf(NL)
    if (last === -1) {
      this.carry = data
      if (data.byteLength > MAX_LINE) return this.giveUp()
      return EMPTY
    }
    this.carry = last + 1 < data.byteLength ? data.slice(last + 1) : null
    const complete = data.subarray(0, last + 1)
    // the common chunk (content) has no usage member and follows no dropped line: out as it came
    if (!this.dropBlank && bytesIndexOf(complete, USAGE_NEEDLE) === -1) return complete
    return this.filterLines(complete)
  }

  /** What is left when the upstream ended: an unterminated last line goes out as it was. */
  end(): Uint8Array {
    const rest = this.carry ?? EMPTY
    this.carry = null
    return rest
  }

  private giveUp(): Uint8Array {
    this.passThrough = true
    return this.end()
  }

  private filterLines(bytes: Uint8Array): Uint8Array {
    const out: Uint8Array[] = []
    let start = 0
    while (start < bytes.byteLength) {
      const nl = bytes.indexOf(NL, start)
      const line = bytes.subarray(start, nl + 1)
      start = nl + 1
      const blank = line.byteLength === 1 || (line.byteLength === 2 && line[0] === 13)
      if (blank && this.dropBlank) {
        this.dropBlank = false
        continue
      }
      this.dropBlank = false
      if (bytesIndexOf(line, USAGE_NEEDLE) === -1) {
        out.push(line)
        continue
      }
      const text = decoder.decode(line)
      if (isUsageOnly(text)) {
        this.dropBlank = true
        continue
      }
      out.push(USAGE_NULL.test(text) ? encoder.encode(text.replace(USAGE_NULL, '')) : line)
    }
    return concat(out)
  }
}

/** `data: {... "choices": [], "usage": {...}}`: the chunk include_usage adds. */
function isUsageOnly(line: string): boolean {
  const m = /^data:\s?(.*?)\r?\n?$/s.exec(line)
  if (!m) return false
  try {
    const v = JSON.parse(m[1]!) as { choices?: unknown; usage?: unknown } | null
    return !!v && Array.isArray(v.choices) && v.choices.length === 0 && !!v.usage && typeof v.usage === 'object'
  } catch {
    return false
  }
}

const EMPTY = new Uint8Array(0)

function bytesIndexOf(bytes: Uint8Array, needle: Buffer): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle)
}
