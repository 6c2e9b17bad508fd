/** Runs SSE text through a translation as a byte stream split at awkward places, returns the caller's events. */
import { translateStream, type Translation } from '../../server/translate'
import { SseParser } from '../../server/translate/sse'

export async function runStream(t: Translation, upstreamText: string, pieceSize = 7): Promise<{ event: string; data: string }[]> {
  const bytes = new TextEncoder().encode(upstreamText)
  let at = 0
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close()
      c.enqueue(bytes.subarray(at, at + pieceSize))
      at += pieceSize
    },
  })
  const text = await new Response(translateStream(t, source)).text()
  const p = new SseParser()
  return [...p.push(new TextEncoder().encode(text)), ...p.end()]
}

export const json = (events: { data: string }[]) => events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data))

export const sse = (events: [string | null, unknown][]) =>
  events.map(([e, d]) => `${e ? `event: ${e}\n` : ''}data: ${typeof d === 'string' ? d : JSON.stringify(d)}\n\n`).join('')
