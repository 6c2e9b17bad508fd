/**
 * Server-sent events, incrementally: bytes in, whole events out as soon as their blank line arrives
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
 */
export interface SseEvent {
  event: string
  data: string
}

export class SseParser {
  private text = ''
  private readonly decoder = new TextDecoder()

  push(bytes: Uint8Array): SseEvent[] {
    this.text += this.decoder.decode(bytes, { stream: true })
    return this.drain(false)
  }

  end(): SseEvent[] {
    this.text += this.decoder.decode()
    return this.drain(true)
  }

  private drain(final: boolean): SseEvent[] {
    const out: SseEvent[] = []
    // A CR at the very end may be the first half of a CRLF: wait for the next byte before ending that line.
    const carry = !final && this.text.endsWith('\r') ? '\r' : ''
    const lines = (carry ? this.text.slice(0, -1) : this.text).split(/\r\n|\r|\n/)
    // The last piece is an unfinished line (or '' after a newline): keep it for the next chunk.
    let keepFrom = 0
    let event = ''
    let data: string[] = []
    let any = false
    const emit = () => {
      if (any) out.push({ event: event || 'message', data: data.join('\n') })
      event = ''
      data = []
      any = false
    }
    const complete = final ? lines.length : lines.length - 1
    for (let i = 0; i < complete; i++) {
      const line = lines[i]!
      if (line === '') {
        emit()
        keepFrom = i + 1
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const name = colon === -1 ? line : line.slice(0, colon)
      let value = colon === -1 ? '' : line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      if (name === 'event') event = value
      else if (name === 'data') data.push(value)
      any = any || name === 'data' || name === 'event'
    }
    if (final) {
      emit()
      this.text = ''
    } else this.text = lines.slice(keepFrom).join('\n') + carry
    return out
  }
}

export const sseData = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`
export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
