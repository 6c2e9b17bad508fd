/**
 * An upstream error answer, read only as far as a small window: enough to classify it and to relay a useful,
 * scrubbed message; the rest is dropped unread (the upstream call is cancelled), so an endless or bomb body costs
 * a bounded amount of memory and time. What the client gets of it has been scrubbed of the pool key, whole.
 */
import { scrubCutText, scrubSecret } from '../shared/scrub'
import { inflateCapped } from './inflate'

/** Compressed bytes read of an error body. */
export const ERROR_WINDOW = 64 << 10
/** Plain bytes kept of it once inflated. */
export const ERROR_TEXT_BUDGET = 256 << 10

export interface ErrorBody {
  /** the decoded text read (scrubbed), for classification and the log */
  text: string
  /** what the client gets: the upstream's own bytes when read whole and quoting no key, else the scrubbed text */
  bytes: Uint8Array
  /** whether `bytes` are the upstream's own (then its content-encoding and content-length still hold) */
  original: boolean
}

/** At most `limit` bytes of a body; the stream is cancelled when more was coming. */
export async function readWindow(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ bytes: Uint8Array; whole: boolean }> {
  if (!body) return { bytes: new Uint8Array(), whole: true }
  const reader = body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { bytes: Buffer.concat(parts, size), whole: true }
      const room = limit - size
      if (value.length > room) {
        parts.push(value.subarray(0, room))
        reader.cancel().catch(() => {})
        return { bytes: Buffer.concat(parts, limit), whole: false }
      }
      parts.push(value)
      size += value.length
    }
  } finally {
    reader.releaseLock()
  }
}

export async function readErrorBody(res: Response, key: string): Promise<ErrorBody> {
  const { bytes, whole } = await readWindow(res.body, ERROR_WINDOW)
  const inflated = await inflateCapped(bytes, res.headers.get('content-encoding'), ERROR_TEXT_BUDGET)
  const raw = new TextDecoder().decode(inflated.plain)
  if (whole && inflated.complete && !(key !== '' && raw.includes(key))) return { text: raw, bytes, original: true }
  const text = whole && inflated.complete ? scrubSecret(raw, key) : scrubCutText(raw, key)
  return { text, bytes: new TextEncoder().encode(text), original: false }
}
