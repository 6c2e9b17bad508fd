/**
 * Streams the upstream body to the client chunk by chunk (SSE included) with no buffering. A Bun "direct" stream
 * writes each chunk straight to the socket and flushes it (measured: a pull-based WHATWG stream added ~100 ms of
 * first-byte p99 at 1,000 concurrent streams); awaiting a write that reports backpressure stops reading the
 * upstream until the client drains, so backpressure reaches the upstream. Each chunk is shown to `onChunk` (usage
 * reader) on the way. `onEnd` runs once: after the last byte, on an upstream error, or when the client went away
 * (then `abortUpstream` is called so the upstream call stops).
 */
export interface RelayEnd {
  completed: boolean
  clientGone: boolean
  error?: unknown
  firstByteAt: number | null
}

export interface RelayHooks {
  onChunk?: (chunk: Uint8Array) => void
  /** what the client gets of each chunk (after onChunk saw it whole); its `end` bytes go out before the close */
  transform?: { push(chunk: Uint8Array): Uint8Array; end(): Uint8Array }
  onEnd: (end: RelayEnd) => void
  abortUpstream: () => void
  now: () => number
}

export function relay(body: ReadableStream<Uint8Array>, hooks: RelayHooks): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let ended = false
  let firstByteAt: number | null = null
  const end = (e: Omit<RelayEnd, 'firstByteAt'>) => {
    if (ended) return
    ended = true
    hooks.onEnd({ ...e, firstByteAt })
  }
  const clientGone = (reason?: unknown) => {
    end({ completed: false, clientGone: true, error: reason })
    hooks.abortUpstream()
    reader.cancel(reason).catch(() => {})
  }
  return new ReadableStream({
    type: 'direct',
    async pull(controller: ReadableStreamDirectController) {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>
        try {
          chunk = await reader.read()
        } catch (error) {
          if (ended) return
          end({ completed: false, clientGone: false, error })
          // The client must see the body cut (no chunked terminator), so the stream fails rather than closes. It
          // fails with no reason: Bun prints any other reason raw to stderr, and a fetch error's text names the
          // upstream URL, which carries the pool key for Gemini `?key=` clients. The reason is in the log row.
          throw undefined
        }
        if (ended) return
        if (chunk.done) {
          const tail = hooks.transform?.end()
          if (tail && tail.byteLength > 0) {
            const w = controller.write(tail)
            if (typeof w !== 'number') await w
          }
          controller.close()
          end({ completed: true, clientGone: false })
          return
        }
        if (firstByteAt === null) firstByteAt = hooks.now()
        if (hooks.onChunk) {
          try {
            hooks.onChunk(chunk.value)
          } catch {
            // usage parsing must never break the stream
          }
        }
        const value = hooks.transform ? hooks.transform.push(chunk.value) : chunk.value
        // a transform may hold a chunk back whole (an SSE line not complete yet): nothing to write
        if (value.byteLength === 0) continue
        let written = controller.write(value)
        if (typeof written !== 'number') written = await written
        // 0 = the destination is gone (the client hung up)
        if (written === 0 && value.byteLength > 0) return clientGone('client closed the connection')
        const flushed = controller.flush()
        if (typeof flushed !== 'number') await flushed
      }
    },
    cancel(reason: unknown) {
      clientGone(reason)
    },
  } as unknown as UnderlyingDefaultSource<Uint8Array>)
}
