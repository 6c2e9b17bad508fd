/**
 * Inflating an upstream body for keypool's own reading (error classification, usage), under an output budget and
 * off the event loop (node:zlib streams run in the thread pool): a few hundred compressed bytes may claim gigabytes.
 * The client always gets the upstream's bytes or keypool's own bounded copy; this never feeds the relay.
 */
import zlib from 'node:zlib'

export interface Inflated {
  plain: Uint8Array
  /** the whole input was decoded within the budget */
  complete: boolean
}

type Inflater = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress

function inflaterFor(encoding: string, first: number | undefined, second: number | undefined): Inflater | null {
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip()
  if (encoding === 'br') return zlib.createBrotliDecompress()
  if (encoding === 'deflate') {
    // RFC 9110 §8.4.1.2 says zlib-wrapped; some servers send raw deflate. A zlib header is CM=8 and a multiple of 31.
    const wrapped = first !== undefined && second !== undefined && (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0
    return wrapped ? zlib.createInflate() : zlib.createInflateRaw()
  }
  return null
}

/**
 * `bytes` decoded per `content-encoding`, at most `budget` bytes of it. An unknown encoding gives nothing (not
 * complete); a corrupt body gives what decoded before the fault (not complete). Identity is returned as is.
 */
export function inflateCapped(bytes: Uint8Array, encoding: string | null, budget: number): Promise<Inflated> {
  const enc = encoding?.toLowerCase().trim()
  if (!enc || enc === 'identity')
    return Promise.resolve(bytes.length <= budget ? { plain: bytes, complete: true } : { plain: bytes.subarray(0, budget), complete: false })
  const z = inflaterFor(enc, bytes[0], bytes[1])
  if (!z) return Promise.resolve({ plain: new Uint8Array(), complete: false })
  return new Promise((resolve) => {
    const parts: Uint8Array[] = []
    let size = 0
    let settled = false
    const settle = (complete: boolean) => {
      if (settled) return
      settled = true
      z.destroy()
      const plain = Buffer.concat(parts, Math.min(size, budget))
      resolve({ plain: new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength), complete })
    }
    z.on('data', (chunk: Buffer) => {
      parts.push(chunk)
      size += chunk.length
      if (size > budget) settle(false)
    })
    z.on('end', () => settle(true))
    z.on('error', () => settle(false))
    z.end(bytes)
  })
}
