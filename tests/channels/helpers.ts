/** Test helpers: feed text to byte consumers in awkward pieces. */
const encoder = new TextEncoder()

/** Splits the UTF-8 bytes of `text` at the given byte offsets. */
export function splitAt(text: string, offsets: number[]): Uint8Array[] {
  const bytes = encoder.encode(text)
  const cuts = [0, ...offsets.filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b), bytes.length]
  return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end))
}

/** One chunk per byte: every possible boundary at once (inside UTF-8 characters, inside `data:`, CR|LF). */
export function byteByByte(text: string): Uint8Array[] {
  return Array.from(encoder.encode(text), (b) => Uint8Array.of(b))
}

export function feed(consumer: { push(chunk: Uint8Array): void }, chunks: Uint8Array[]): void {
  for (const c of chunks) consumer.push(c)
}

export const utf8 = (text: string) => encoder.encode(text)
