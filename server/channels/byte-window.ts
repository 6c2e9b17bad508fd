/**
 * Bounded capture of a byte stream: everything while it is small, then only a head and a tail.
 * Usage readers see whole answers of any size but must not hold a 5 MB body a second time: the model
 * name sits near the start of an answer and the usage near its end, so head + tail is all they need.
 */

/** Text captured by a ByteWindow: whole when it fit, else its head and tail (the middle was dropped). */
export type CapturedText = { truncated: false; text: string } | { truncated: true; head: string; tail: string }

export const WINDOW_LIMIT = 256 * 1024
/** decode() without `stream` keeps no state between calls: one decoder serves every window */
const decoder = new TextDecoder()
const HEAD_BYTES = 64 * 1024

export class ByteWindow {
  /** Chunks kept while the total stays under the limit (references, no copy). */
  private chunks: Uint8Array[] = []
  private size = 0
  private head: Uint8Array | null = null
  /** Ring buffer of the last `tailBytes` bytes once the limit was crossed. */
  private ring: Uint8Array | null = null
  private ringPos = 0
  private ringFilled = 0

  constructor(
    private readonly limit = WINDOW_LIMIT,
    private readonly headBytes = Math.min(HEAD_BYTES, limit >> 2),
  ) {}

  /** Bytes seen so far. */
  get length(): number {
    return this.size
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.size += chunk.length
    if (!this.ring) {
      this.chunks.push(chunk)
      if (this.size <= this.limit) return
      this.spill()
      return
    }
    this.writeRing(chunk)
  }

  /** Crossing the limit: copy the head out, put the rest of the kept chunks in the tail ring. */
  private spill(): void {
    const all = concat(this.chunks, this.size)
    this.chunks = []
    this.head = all.slice(0, this.headBytes)
    this.ring = new Uint8Array(this.limit - this.headBytes)
    this.writeRing(all.subarray(this.headBytes))
  }

  private writeRing(bytes: Uint8Array): void {
    const ring = this.ring!
    // Only the last ring.length bytes of a big chunk can survive: skip the rest.
    const src = bytes.length > ring.length ? bytes.subarray(bytes.length - ring.length) : bytes
    const first = Math.min(src.length, ring.length - this.ringPos)
    ring.set(src.subarray(0, first), this.ringPos)
    ring.set(src.subarray(first), 0)
    this.ringPos = (this.ringPos + src.length) % ring.length
    this.ringFilled = Math.min(ring.length, this.ringFilled + src.length)
  }

  /** The tail in order (oldest byte first). */
  private tailBytes(): Uint8Array {
    const ring = this.ring!
    if (this.ringFilled < ring.length) return ring.subarray(0, this.ringFilled)
    const out = new Uint8Array(ring.length)
    out.set(ring.subarray(this.ringPos), 0)
    out.set(ring.subarray(0, this.ringPos), ring.length - this.ringPos)
    return out
  }

  text(): CapturedText {
    if (!this.ring) return { truncated: false, text: decoder.decode(concat(this.chunks, this.size)) }
    // A cut can fall inside a UTF-8 character: the decoder then yields U+FFFD there, harmless for key search.
    return { truncated: true, head: decoder.decode(this.head!), tail: decoder.decode(this.tailBytes()) }
  }

  clear(): void {
    this.chunks = []
    this.size = 0
    this.head = null
    this.ring = null
    this.ringPos = 0
    this.ringFilled = 0
  }
}

/** The chunks as one array (the chunk itself when there is one); `size` is their total length when known. */
export function concat(chunks: Uint8Array[], size = chunks.reduce((n, c) => n + c.byteLength, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}
