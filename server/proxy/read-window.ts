/** Reading a body only as far as keypool needs it: what an upstream sends beyond is dropped, never held. */

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
