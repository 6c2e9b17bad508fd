/**
 * Streams the upstream body to the client chunk by chunk (SSE included) with no buffering: a chunk is read from
 * the upstream only when the client side pulls, so backpressure reaches the upstream. Each chunk is shown to
 * `onChunk` (usage reader) on the way. `onEnd` runs once: after the last byte, on an upstream error, or when the
 * client went away (then `abortUpstream` is called so the upstream call stops).
 */
export interface RelayEnd {
  completed: boolean
  clientGone: boolean
  error?: unknown
  firstByteAt: number | null
}

export function relay(
  body: ReadableStream<Uint8Array>,
  hooks: { onChunk?: (chunk: Uint8Array) => void; onEnd: (end: RelayEnd) => void; abortUpstream: () => void; now: () => number },
): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let ended = false
  let firstByteAt: number | null = null
  const end = (e: Omit<RelayEnd, 'firstByteAt'>) => {
    if (ended) return
    ended = true
    hooks.onEnd({ ...e, firstByteAt })
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read()
          if (done) {
            controller.close()
            end({ completed: true, clientGone: false })
            return
          }
          if (firstByteAt === null) firstByteAt = hooks.now()
          if (hooks.onChunk) {
            try {
              hooks.onChunk(value)
            } catch {
              // usage parsing must never break the stream
            }
          }
          controller.enqueue(value)
        } catch (error) {
          end({ completed: false, clientGone: false, error })
          controller.error(error)
        }
      },
      cancel(reason) {
        end({ completed: false, clientGone: true, error: reason })
        hooks.abortUpstream()
        reader.cancel(reason).catch(() => {})
      },
    },
    { highWaterMark: 0 },
  )
}
