/**
 * Incremental line splitter over response bytes, for reading SSE (text/event-stream) as it streams.
 * Chunks may end anywhere: inside a UTF-8 character, inside `data:`, between `\r` and `\n`. Lines are
 * split on bytes (0x0A), so a character is decoded only once its whole line arrived. A line longer than
 * the window (an OpenAI `response.completed` event carries the whole answer) keeps only its head and tail.
 */
import { ByteWindow, type CapturedText } from './byte-window.ts'

const LF = 0x0a
const decoder = new TextDecoder()

export class LineSplitter {
  /** The unfinished last line of the bytes pushed so far. */
  private readonly partial: ByteWindow

  constructor(
    private readonly onLine: (line: CapturedText) => void,
    lineLimit?: number,
  ) {
    this.partial = new ByteWindow(lineLimit)
  }

  push(chunk: Uint8Array): void {
    let start = 0
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      const piece = chunk.subarray(start, nl)
      if (this.partial.length === 0) {
        this.onLine(trimCr({ truncated: false, text: decoder.decode(piece) }))
      } else {
        this.partial.push(piece)
        this.flushPartial()
      }
      start = nl + 1
    }
    // Copy: the caller may reuse or keep streaming this buffer; we must not pin a big chunk for a short rest.
    if (start < chunk.length) this.partial.push(chunk.slice(start))
  }

  /** End of stream: a last line without a newline still counts. */
  end(): void {
    if (this.partial.length > 0) this.flushPartial()
  }

  private flushPartial(): void {
    const line = this.partial.text()
    this.partial.clear()
    this.onLine(trimCr(line))
  }
}

function trimCr(line: CapturedText): CapturedText {
  if (!line.truncated) return line.text.endsWith('\r') ? { truncated: false, text: line.text.slice(0, -1) } : line
  return line.tail.endsWith('\r') ? { ...line, tail: line.tail.slice(0, -1) } : line
}

/** The payload of an SSE `data:` line (one optional space after the colon is not part of it), else null. */
export function sseData(line: CapturedText): CapturedText | null {
  const text = line.truncated ? line.head : line.text
  if (!text.startsWith('data:')) return null
  const skip = text.charCodeAt(5) === 0x20 ? 6 : 5
  return line.truncated ? { ...line, head: line.head.slice(skip) } : { truncated: false, text: line.text.slice(skip) }
}
