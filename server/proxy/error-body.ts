/**
 * An upstream error answer, read only as far as a small window: enough to classify it and to relay a useful,
 * scrubbed message; the rest is dropped unread (the upstream call is cancelled), so an endless or bomb body costs
 * a bounded amount of memory and time. What the client gets of it has been scrubbed of the pool key, whole.
 */
import { scrubCutText, scrubSecret } from '../shared/scrub'
import { inflateCapped } from './inflate'
import { readWindow } from './read-window'

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

export async function readErrorBody(res: Response, key: string): Promise<ErrorBody> {
  const { bytes, whole } = await readWindow(res.body, ERROR_WINDOW)
  const inflated = await inflateCapped(bytes, res.headers.get('content-encoding'), ERROR_TEXT_BUDGET)
  const raw = new TextDecoder().decode(inflated.plain)
  if (whole && inflated.complete && !(key !== '' && raw.includes(key))) return { text: raw, bytes, original: true }
  const text = whole && inflated.complete ? scrubSecret(raw, key) : scrubCutText(raw, key)
  return { text, bytes: new TextEncoder().encode(text), original: false }
}
