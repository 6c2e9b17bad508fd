/**
 * An upstream that misbehaves on purpose, spoken as raw HTTP/1.1 over TCP so it can do what a polite server cannot:
 * bodies that never end, compression bombs, the pool key echoed in headers or deep in a body, and a connection
 * reset in the middle of a body. The behaviour is the first path segment of the group's upstream URL:
 *
 *   await using hostile = await startHostileUpstream()
 *   seedGroup(deps, { upstreams: [{ url: `${hostile.url}/endless-error`, weight: 1 }] }, keys)
 *
 * Every connection is answered once and closed (`connection: close`). `hostile.sent(mode)` says how many body bytes
 * went out for that behaviour and whether the peer went away before the body ended.
 */
import zlib from 'node:zlib'

export type HostileMode =
  /** 400 whose JSON body never ends (until the peer leaves, or SAFETY_LIMIT so a regression cannot eat the machine) */
  | 'endless-error'
  /** 200 JSON (a model list, say) whose body never ends, like endless-error */
  | 'endless-ok'
  /** 400 `content-encoding: gzip` / `br`: a few hundred KB that inflate to BOMB_SIZE */
  | 'gzip-bomb-error'
  | 'br-bomb-error'
  /** 200 sized JSON answers that inflate to BOMB_SIZE, with usage at the start */
  | 'gzip-bomb-ok'
  | 'br-bomb-ok'
  /** 401 echoing the key after LATE_PADDING bytes of padding, and in `www-authenticate` and `x-echo-key` */
  | 'echo-key-late'
  /** the same echo, gzip-compressed */
  | 'echo-key-late-gzip'
  /** 200 that declares 100,000 bytes, sends a few, then resets the connection */
  | 'reset-mid-body'
  /** 200 SSE stream (chunked) that sends one event, then resets the connection */
  | 'reset-mid-stream'

export const BOMB_SIZE = 256 << 20
export const LATE_PADDING = (1 << 20) + 4096
const SAFETY_LIMIT = 256 << 20
const CHUNK = 64 << 10

export interface Sent {
  bytes: number
  /** the peer closed or reset before the body ended */
  peerLeft: boolean
  /** the whole body went out */
  finished: boolean
}

export interface HostileUpstream {
  url: string
  /** The last request of that behaviour: body bytes sent and how it ended. */
  sent(mode: HostileMode): Sent | undefined
  /** The pool key the last request carried (Bearer, x-api-key, x-goog-api-key or ?key=). */
  lastKey(): string | null
  /** Resolves once the response of `mode` has ended one way or the other. */
  ended(mode: HostileMode): Promise<Sent>
  stop(): void
  [Symbol.asyncDispose](): Promise<void>
}

/** The bomb's plain text: a JSON head, then spaces up to `size` bytes, then the JSON tail. */
async function compressed(kind: 'gzip' | 'br', head: string, size: number, tail: string): Promise<Uint8Array<ArrayBuffer>> {
  const z = kind === 'gzip' ? zlib.createGzip({ level: 9 }) : zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
  const parts: Buffer[] = []
  z.on('data', (c: Buffer) => parts.push(c))
  const done = new Promise((resolve) => z.on('end', resolve))
  z.write(head)
  const pad = Buffer.alloc(1 << 20, 0x20)
  for (let left = size - head.length - tail.length; left > 0; left -= pad.length) {
    const piece = left >= pad.length ? pad : pad.subarray(0, left)
    if (!z.write(piece)) await new Promise((resolve) => z.once('drain', resolve))
  }
  z.end(tail)
  await done
  return new Uint8Array(Buffer.concat(parts))
}

const bombs = new Map<string, Promise<Uint8Array<ArrayBuffer>>>()
/** The compressed body a bomb behaviour sends (built once per process: ~0.4 s each). */
export function bombBody(mode: 'gzip-bomb-error' | 'br-bomb-error' | 'gzip-bomb-ok' | 'br-bomb-ok'): Promise<Uint8Array<ArrayBuffer>> {
  return bomb(mode.startsWith('gzip') ? 'gzip' : 'br', mode.endsWith('-ok'))
}

function bomb(kind: 'gzip' | 'br', ok: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const id = `${kind}-${ok}`
  let b = bombs.get(id)
  if (!b) {
    b = ok
      ? compressed(kind, '{"id":"bomb","model":"gpt-bomb","usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12},"pad":"', BOMB_SIZE, '"}')
      : compressed(kind, '{"error":{"message":"bomb', BOMB_SIZE, '","type":"invalid_request_error"}}')
    bombs.set(id, b)
  }
  return b
}

interface Conn {
  buf: string
  answered: boolean
  mode?: HostileMode
  sent?: Sent
  /** resolves a pending write once the socket drains */
  drained?: () => void
}

function keyOf(headers: Map<string, string>, target: string): string | null {
  const auth = headers.get('authorization')
  if (auth && /^bearer\s/i.test(auth)) return auth.slice(7).trim()
  return headers.get('x-api-key') ?? headers.get('x-goog-api-key') ?? new URL(target, 'http://x').searchParams.get('key')
}

function head(status: number, headers: Record<string, string | number>): string {
  const reason: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized' }
  let s = `HTTP/1.1 ${status} ${reason[status] ?? 'Status'}\r\nconnection: close\r\n`
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`
  return s + '\r\n'
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  const last = new Map<HostileMode, Sent>()
  const waiters = new Map<HostileMode, ((s: Sent) => void)[]>()
  let lastKey: string | null = null
  const settle = (mode: HostileMode, s: Sent) => {
    for (const w of waiters.get(mode) ?? []) w(s)
    waiters.delete(mode)
  }

  /** Writes all of `data`, waiting for drain; false when the peer is gone. */
  async function write(socket: Bun.Socket<Conn>, data: Uint8Array | string): Promise<boolean> {
    let bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
    while (bytes.length > 0) {
      if (socket.data.sent?.peerLeft) return false
      const n = socket.write(bytes)
      if (n < 0) return false
      if (socket.data.sent && typeof data !== 'string') socket.data.sent.bytes += n
      bytes = bytes.subarray(n)
      if (bytes.length > 0) await new Promise<void>((resolve) => (socket.data.drained = resolve))
    }
    return true
  }

  async function answer(socket: Bun.Socket<Conn>, mode: HostileMode, key: string): Promise<void> {
    const sent: Sent = { bytes: 0, peerLeft: false, finished: false }
    socket.data.mode = mode
    socket.data.sent = sent
    last.set(mode, sent)
    const finish = () => {
      sent.finished = true
      socket.end()
      settle(mode, sent)
    }
    const json = { 'content-type': 'application/json' }
    switch (mode) {
      case 'endless-error':
      case 'endless-ok': {
        await write(socket, head(mode === 'endless-ok' ? 200 : 400, json))
        const start = mode === 'endless-ok' ? '{"object":"list","data":[{"id":"' : '{"error":{"message":"'
        if (!(await write(socket, new TextEncoder().encode(start)))) return
        const chunk = new Uint8Array(CHUNK).fill(0x78)
        while (sent.bytes < SAFETY_LIMIT) if (!(await write(socket, chunk))) return
        return finish()
      }
      case 'gzip-bomb-error':
      case 'br-bomb-error':
      case 'gzip-bomb-ok':
      case 'br-bomb-ok': {
        const kind = mode.startsWith('gzip') ? 'gzip' : 'br'
        const ok = mode.endsWith('-ok')
        const body = await bomb(kind, ok)
        await write(socket, head(ok ? 200 : 400, { ...json, 'content-encoding': kind, 'content-length': body.length }))
        if (await write(socket, body)) finish()
        return
      }
      case 'echo-key-late':
      case 'echo-key-late-gzip': {
        const text = `{"error":{"message":"${' '.repeat(LATE_PADDING)}Incorrect API key provided: ${key}","code":"invalid_api_key"}}`
        const gzip = mode.endsWith('-gzip')
        const body = gzip ? Bun.gzipSync(new TextEncoder().encode(text)) : new TextEncoder().encode(text)
        const headers: Record<string, string | number> = {
          ...json,
          'content-length': body.length,
          'www-authenticate': `Bearer realm="fake", error="invalid_token", error_description="key ${key} is not valid"`,
          'x-echo-key': key,
        }
        if (gzip) headers['content-encoding'] = 'gzip'
        await write(socket, head(401, headers))
        if (await write(socket, body)) finish()
        return
      }
      case 'reset-mid-body': {
        await write(socket, head(200, { ...json, 'content-length': 100_000 }))
        await write(socket, new TextEncoder().encode('{"id":"cut","choices":[{"message":{"content":"'))
        socket.terminate()
        settle(mode, sent)
        return
      }
      case 'reset-mid-stream': {
        await write(socket, head(200, { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' }))
        const event = 'data: {"candidates":[{"content":{"parts":[{"text":"cut"}]}}]}\r\n\r\n'
        await write(socket, new TextEncoder().encode(`${event.length.toString(16)}\r\n${event}\r\n`))
        socket.terminate()
        settle(mode, sent)
        return
      }
    }
  }

  const server = Bun.listen<Conn>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buf: '', answered: false }
      },
      data(socket, chunk) {
        if (socket.data.answered) return
        socket.data.buf += new TextDecoder().decode(chunk)
        const end = socket.data.buf.indexOf('\r\n\r\n')
        if (end === -1) return
        socket.data.answered = true
        const [requestLine = '', ...lines] = socket.data.buf.slice(0, end).split('\r\n')
        const target = requestLine.split(' ')[1] ?? '/'
        const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
        const key = keyOf(headers, target) ?? ''
        lastKey = key
        const mode = target.split('?')[0]!.split('/')[1] as HostileMode
        void answer(socket, mode, key)
      },
      drain(socket) {
        const d = socket.data.drained
        socket.data.drained = undefined
        d?.()
      },
      close(socket) {
        const { sent, mode } = socket.data
        if (sent && mode && !sent.finished) {
          sent.peerLeft = true
          settle(mode, sent)
        }
        const d = socket.data.drained
        socket.data.drained = undefined
        d?.()
      },
    },
  })
  const stop = () => server.stop(true)
  return {
    url: `http://127.0.0.1:${server.port}`,
    sent: (mode) => last.get(mode),
    lastKey: () => lastKey,
    ended(mode) {
      const s = last.get(mode)
      if (s && (s.finished || s.peerLeft)) return Promise.resolve(s)
      return new Promise((resolve) => waiters.set(mode, [...(waiters.get(mode) ?? []), resolve]))
    },
    stop,
    async [Symbol.asyncDispose]() {
      stop()
    },
  }
}
