/**
 * WebSocket clients for tests: `openSocket` (Bun's client, frames kept in order, waits by condition) and
 * `rawHandshake` (a hand-written upgrade request over TCP, so a refused handshake's status, headers and body
 * can be read: WebSocket clients hide them).
 */

export type Received = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array }

export interface TestSocket {
  ws: WebSocket
  /** every frame received, in order */
  received: Received[]
  /** the next frame not yet taken by next() */
  next(): Promise<Received>
  /** resolves with the close the client saw */
  closed: Promise<{ code: number; reason: string }>
}

export type OpenResult = { ok: true; socket: TestSocket } | { ok: false; error: string }

const BunWebSocket = WebSocket as unknown as new (url: string, options: Bun.WebSocketOptions) => WebSocket

export interface OpenOptions {
  headers?: Record<string, string>
  protocols?: string[]
  /** the socket while it is still connecting (a test may close it before the handshake ends) */
  onConnecting?: (ws: WebSocket) => void
}

export function openSocket(url: string, options: OpenOptions = {}): Promise<OpenResult> {
  const ws = new BunWebSocket(url, { headers: options.headers ?? {}, protocols: options.protocols ?? [] })
  options.onConnecting?.(ws)
  ws.binaryType = 'arraybuffer'
  const received: Received[] = []
  let taken = 0
  let wake: (() => void) | null = null
  ws.addEventListener('message', (e) => {
    const data = e.data as string | ArrayBuffer
    received.push(typeof data === 'string' ? { kind: 'text', text: data } : { kind: 'binary', bytes: new Uint8Array(data) })
    wake?.()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => {
      resolve({ code: e.code, reason: e.reason })
      wake?.()
    }),
  )
  const socket: TestSocket = {
    ws,
    received,
    closed,
    async next() {
      while (taken >= received.length) {
        if (ws.readyState === WebSocket.CLOSED) throw new Error('socket closed before the next frame')
        await new Promise<void>((resolve) => (wake = resolve))
        wake = null
      }
      return received[taken++]!
    },
  }
  return new Promise((resolve) => {
    let error = ''
    ws.addEventListener('open', () => resolve({ ok: true, socket }), { once: true })
    ws.addEventListener('error', (e) => (error = (e as ErrorEvent).message || 'error'), { once: true })
    ws.addEventListener('close', () => resolve({ ok: false, error }), { once: true })
  })
}

export async function openOrThrow(url: string, options: OpenOptions = {}): Promise<TestSocket> {
  const r = await openSocket(url, options)
  if (!r.ok) throw new Error(`WebSocket did not open: ${r.error}`)
  return r.socket
}

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** Sends an upgrade request by hand and reads the answer until the server closes or the headers of a 101 end. */
export async function rawHandshake(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const u = new URL(url)
  const lines = [
    `GET ${u.pathname}${u.search} HTTP/1.1`,
    `Host: ${u.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ]
  const chunks: Uint8Array[] = []
  const text = await new Promise<string>((resolve, reject) => {
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'))
    Bun.connect({
      hostname: u.hostname,
      port: Number(u.port),
      socket: {
        open(s) {
          s.write(lines.join('\r\n'))
        },
        data(s, data) {
          chunks.push(new Uint8Array(data))
          const so = Buffer.concat(chunks).toString('utf8')
          const end = so.indexOf('\r\n\r\n')
          if (end === -1) return
          const head = so.slice(0, end)
          const length = /content-length:\s*(\d+)/i.exec(head)
          if (head.startsWith('HTTP/1.1 101') || (length && so.length - end - 4 >= Number(length[1]))) {
            s.end()
            done()
          }
        },
        close: done,
        error(_s, err) {
          reject(err)
        },
      },
    }).catch(reject)
  })
  const end = text.indexOf('\r\n\r\n')
  const [statusLine, ...headerLines] = text.slice(0, end === -1 ? undefined : end).split('\r\n')
  const out: Record<string, string> = {}
  for (const l of headerLines) {
    const i = l.indexOf(':')
    if (i > 0) out[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
  }
  return { status: Number(statusLine?.split(' ')[1] ?? 0), headers: out, body: end === -1 ? '' : text.slice(end + 4) }
}

/** A client frame by hand (RFC 6455 §5.2: clients mask every frame), for raw sockets that stop reading. */
export function maskedTextFrame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text)
  const mask = crypto.getRandomValues(new Uint8Array(4))
  const head = payload.length < 126 ? [0x81, 0x80 | payload.length] : [0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]
  const out = new Uint8Array(head.length + 4 + payload.length)
  out.set(head, 0)
  out.set(mask, head.length)
  for (let i = 0; i < payload.length; i++) out[head.length + 4 + i] = payload[i]! ^ mask[i % 4]!
  return out
}
