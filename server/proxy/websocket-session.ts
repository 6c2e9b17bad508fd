/**
 * One proxied WebSocket session after both handshakes: frames relayed both ways as they come (text stays text,
 * binary stays binary), close codes and reasons passed through, usage summed from the upstream's frames, one
 * request-log row when the session ends.
 *
 * Backpressure: neither Bun's client socket nor its server socket can pause reading, so each direction is
 * bounded instead of buffered without end: past `maxBuffered` bytes waiting for a slow peer, both sides are
 * closed with 1013 (try again later) rather than frames being dropped silently.
 */
import type { ServerWebSocket } from 'bun'
import type { Clock } from '../shared/clock'
import type { RequestRecord } from './request-record'
import { clientFrameModel, FrameUsage } from './websocket-usage'

/** What Bun's `websocket` handler calls on a proxied connection (see websocket-server.ts). */
export interface SocketHandlers {
  open(ws: ServerWebSocket<SocketHandlers>): void
  message(ws: ServerWebSocket<SocketHandlers>, message: string | Buffer): void
  drain?(ws: ServerWebSocket<SocketHandlers>): void
  close(ws: ServerWebSocket<SocketHandlers>, code: number, reason: string): void
  /** server shutdown: close both sides with 1001 */
  shutdown?(): void
}

export const DEFAULT_MAX_BUFFERED = 16 * 1024 * 1024
const TRY_AGAIN_LATER = 1013
const INTERNAL_ERROR = 1011
// How many client frames may name the model before keypool stops looking (setup comes first).
const MODEL_SNIFF_FRAMES = 4

type Frame = string | ArrayBuffer

export interface SessionOptions {
  upstream: WebSocket
  /** the session's log row; its key is the one the upstream accepted (scrub() hides it) */
  rec: RequestRecord
  clock: Clock
  maxBuffered?: number
  /** the upstream closed the session: a reason may say the key is dead (Gemini Live refuses keys this way) */
  onUpstreamClose?: (code: number, reason: string) => void
}

// Close codes that mean the session failed (RFC 6455 §7.4.1, IANA registry), not that it ended as agreed.
const FAILED = new Set([1002, 1003, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014])

export class WebSocketSession implements SocketHandlers {
  private client: ServerWebSocket<SocketHandlers> | null = null
  /** upstream frames that arrived before the client's side finished opening */
  private early: Frame[] = []
  private upstreamClosed: { code: number; reason: string } | null = null
  private ended = false
  private error = ''
  /** why the session ended when that was not a failure (server shutdown) */
  private note = ''
  private readonly usage = new FrameUsage()
  private sniffed = 0

  private readonly upstream: WebSocket
  private readonly rec: RequestRecord
  private readonly clock: Clock
  private readonly maxBuffered: number
  private readonly onUpstreamClose: (code: number, reason: string) => void

  constructor(o: SessionOptions) {
    const upstream = o.upstream
    this.upstream = upstream
    this.rec = o.rec
    this.clock = o.clock
    this.maxBuffered = o.maxBuffered ?? DEFAULT_MAX_BUFFERED
    this.onUpstreamClose = o.onUpstreamClose ?? (() => {})
    upstream.binaryType = 'arraybuffer'
    upstream.addEventListener('message', (e) => this.fromUpstream(e.data as Frame))
    upstream.addEventListener('error', (e) => {
      this.error ||= `upstream error: ${(e as ErrorEvent).message || 'connection failed'}`
    })
    upstream.addEventListener('close', (e) => this.upstreamClose(e.code, e.reason))
  }

  open(ws: ServerWebSocket<SocketHandlers>): void {
    this.client = ws
    this.rec.firstByteAt ??= this.clock.now()
    for (const f of this.early) this.toClient(f)
    this.early = []
    if (this.upstreamClosed) this.closeClient(this.upstreamClosed.code, this.upstreamClosed.reason)
  }

  message(_ws: ServerWebSocket<SocketHandlers>, message: string | Buffer): void {
    if (this.upstream.readyState !== WebSocket.OPEN) return
    if (!this.rec.model && this.sniffed < MODEL_SNIFF_FRAMES && typeof message === 'string') {
      this.sniffed++
      this.rec.model = clientFrameModel(message) ?? ''
    }
    this.upstream.send(message as string | Uint8Array<ArrayBuffer>)
    if (this.upstream.bufferedAmount > this.maxBuffered) this.overflow('upstream is not reading fast enough')
  }

  close(_ws: ServerWebSocket<SocketHandlers>, code: number, reason: string): void {
    this.client = null
    if (this.upstream.readyState === WebSocket.OPEN || this.upstream.readyState === WebSocket.CONNECTING) {
      // 1005/1006/1015 describe a close, they are never sent (RFC 6455 §7.4.1)
      if (sendable(code)) this.upstream.close(code, reason)
      else this.upstream.close()
    }
    this.end()
  }

  /** Server shutdown: tell both sides the proxy is going away. */
  shutdown(): void {
    this.note = 'closed by server shutdown'
    this.closeClient(1001, 'server shutting down')
    if (this.upstream.readyState === WebSocket.OPEN) this.upstream.close(1001, 'going away')
  }

  private fromUpstream(frame: Frame): void {
    this.usage.push(frame)
    // An upstream error event may quote the key it was given; the client never sees a pool key.
    if (typeof frame === 'string') frame = this.rec.scrub(frame)
    if (this.client) this.toClient(frame)
    else this.early.push(frame)
  }

  private toClient(frame: Frame): void {
    const client = this.client
    if (!client) return
    const size = typeof frame === 'string' ? frame.length : frame.byteLength
    // 0 for a non-empty frame on an open socket: dropped past Bun's backpressure limit; -1: queued under backpressure
    const sent = client.send(frame)
    if ((sent === 0 && size > 0 && client.readyState === WebSocket.OPEN) || client.getBufferedAmount() > this.maxBuffered)
      this.overflow('client is not reading fast enough')
  }

  private upstreamClose(code: number, rawReason: string): void {
    const reason = this.rec.scrub(rawReason)
    if (FAILED.has(code)) this.error ||= `upstream closed ${code}${reason ? `: ${reason}` : ''}`
    this.onUpstreamClose(code, reason)
    this.upstreamClosed = { code, reason }
    if (this.client) this.closeClient(code, reason)
    // before the client's side opened: open() will pass the close on; the row need not wait for it
    else this.end()
  }

  private closeClient(code: number, reason: string): void {
    const client = this.client
    if (!client) return
    if (code === 1006) client.close(INTERNAL_ERROR, 'upstream connection lost')
    else if (sendable(code)) client.close(code, reason)
    else client.close()
  }

  private overflow(why: string): void {
    this.error ||= why
    this.closeClient(TRY_AGAIN_LATER, why)
    if (this.upstream.readyState === WebSocket.OPEN) this.upstream.close(TRY_AGAIN_LATER, 'peer too slow')
  }

  private end(): void {
    if (this.ended) return
    this.ended = true
    this.rec.usage = this.usage.result()
    if (!this.rec.model && this.usage.model) this.rec.model = this.usage.model
    this.rec.finish(101, this.error === '', this.error || this.note)
  }
}

function sendable(code: number): boolean {
  return code === 1000 || (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
}
