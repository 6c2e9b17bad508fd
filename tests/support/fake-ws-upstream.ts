/**
 * A fake WebSocket provider for the proxy's WebSocket tests (OpenAI Realtime / Responses WebSocket mode /
 * Gemini Live shapes). Keys behave by the same prefixes as the HTTP fake (`sk-bad…` 401, `sk-forbid…` 403,
 * `sk-429…` 429, `sk-500…` 500, `sk-hang…` never answers the handshake) or as set with setRefusal.
 *
 *   await using up = await startFakeWsUpstream()
 *   up.handshakes[0].key // the key the upstream saw
 *
 * On open it sends `{"type":"session.created",…}` at once (as OpenAI Realtime does), then echoes every frame
 * (text as text, binary as binary) except these text commands:
 * - `{"type":"fake.usage","shape":"realtime"|"responses"|"gemini","input":n,"output":n}` sends one usage event
 *   (`response.done`, `response.completed`, or a Gemini `usageMetadata` message as a binary frame);
 * - `{"type":"fake.close","code":n,"reason":"…"}` closes the socket with that code;
 * - `{"type":"fake.flood","count":n,"size":n}` sends n binary frames of size bytes as fast as it can;
 * - `{"type":"fake.quote-key"}` sends an OpenAI-style error event that quotes the key it was given.
 * Keys starting with `expired-` pass the handshake and are closed on their first frame with 1007
 * "API key expired. Please renew the API key." (Gemini Live refuses keys after the upgrade this way).
 */
import type { ServerWebSocket } from 'bun'
import { behaviorOf } from './fake-upstream-errors.ts'

export interface Handshake {
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  /** from Authorization Bearer, x-api-key, x-goog-api-key or ?key= */
  key: string | null
  protocols: string[]
  /** 101, or the status the handshake was refused with (0 while hanging) */
  status: number
}

export interface ReceivedFrame {
  key: string | null
  kind: 'text' | 'binary'
  text: string
}

export interface FakeWsUpstream {
  url: string
  handshakes: Handshake[]
  /** frames received from the proxy, in order */
  frames: ReceivedFrame[]
  /** close codes and reasons received from the proxy */
  closes: { code: number; reason: string }[]
  /** force a key's handshake status (e.g. 401, 429, 503); null restores the prefix rule */
  setRefusal(key: string, status: number | null): void
  waitFor(predicate: (up: FakeWsUpstream) => boolean): Promise<void>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

interface SocketData {
  key: string | null
}

const REFUSAL: Record<string, number> = { bad: 401, forbid: 403, '429': 429, quota: 429, '500': 500, '529': 529 }

function keyOf(req: Request, url: URL): string | null {
  const auth = req.headers.get('authorization')
  if (auth && /^bearer\s/i.test(auth)) return auth.slice(7).trim()
  return req.headers.get('x-api-key') ?? req.headers.get('x-goog-api-key') ?? url.searchParams.get('key')
}

function usageEvent(shape: string, input: number, output: number): string | Uint8Array {
  const usage = { input_tokens: input, output_tokens: output, total_tokens: input + output }
  if (shape === 'realtime') return JSON.stringify({ type: 'response.done', event_id: 'ev1', response: { id: 'r1', status: 'completed', usage } })
  if (shape === 'responses')
    return JSON.stringify({ type: 'response.completed', response: { id: 'resp1', model: 'gpt-fake-ws', status: 'completed', usage } })
  // Gemini Live sends its JSON messages as binary frames
  const message = { serverContent: { turnComplete: true }, usageMetadata: { promptTokenCount: input, responseTokenCount: output, totalTokenCount: input + output } }
  return new TextEncoder().encode(JSON.stringify(message))
}

export async function startFakeWsUpstream(): Promise<FakeWsUpstream> {
  const refusals = new Map<string, number | null>()
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const w of [...waiters]) w()
  }
  const hanging: (() => void)[] = []

  const up: FakeWsUpstream = {
    url: '',
    handshakes: [],
    frames: [],
    closes: [],
    setRefusal(key, status) {
      refusals.set(key, status)
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        const check = () => {
          if (!predicate(up)) return
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
        check()
      })
    },
    async stop() {
      for (const release of hanging) release()
      await server.stop(true)
    },
    [Symbol.asyncDispose]() {
      return up.stop()
    },
  }

  const server = Bun.serve<SocketData>({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req, srv) {
      const url = new URL(req.url)
      const key = keyOf(req, url)
      const protocols = (req.headers.get('sec-websocket-protocol') ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
      const hs: Handshake = {
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(req.headers),
        key,
        protocols,
        status: 0,
      }
      up.handshakes.push(hs)
      changed()
      const forced = key === null ? undefined : refusals.get(key)
      const behavior = key === null ? 'bad' : behaviorOf(key)
      if (forced == null && behavior === 'hang') {
        await new Promise<void>((resolve) => hanging.push(resolve))
        return new Response(null, { status: 504 })
      }
      const refused = forced != null ? forced : REFUSAL[behavior]
      if (refused) {
        hs.status = refused
        changed()
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (refused === 429) headers['retry-after'] = '20'
        return new Response(JSON.stringify({ error: { message: `refused key ${key}`, code: refused === 401 ? 'invalid_api_key' : null } }), {
          status: refused,
          headers,
        })
      }
      // pick the first offered protocol that is not a credential, as OpenAI does with `realtime`
      const chosen = protocols.find((p) => !p.startsWith('openai-insecure-api-key.'))
      if (!srv.upgrade(req, { data: { key }, headers: chosen ? { 'sec-websocket-protocol': chosen } : {} }))
        return new Response('expected a WebSocket upgrade', { status: 426 })
      hs.status = 101
      changed()
      return undefined
    },
    websocket: {
      // A flood is sent in one synchronous loop: past Bun's default 16 MiB limit the rest would be dropped here,
      // and how much of it reached keypool would depend on the kernel's socket buffers (a flaky backpressure test).
      backpressureLimit: 1 << 30,
      open(ws) {
        ws.send(JSON.stringify({ type: 'session.created', session: { model: 'gpt-fake-realtime' } }))
      },
      message(ws: ServerWebSocket<SocketData>, message) {
        const text = typeof message === 'string' ? message : new TextDecoder().decode(message)
        up.frames.push({ key: ws.data.key, kind: typeof message === 'string' ? 'text' : 'binary', text })
        changed()
        if (ws.data.key?.startsWith('expired-')) {
          ws.close(1007, 'API key expired. Please renew the API key.')
          return
        }
        if (typeof message === 'string' && message.startsWith('{"type":"fake.')) {
          const cmd = JSON.parse(message) as { type: string; shape?: string; input?: number; output?: number; code?: number; reason?: string; count?: number; size?: number }
          if (cmd.type === 'fake.usage') ws.send(usageEvent(cmd.shape ?? 'realtime', cmd.input ?? 0, cmd.output ?? 0))
          else if (cmd.type === 'fake.close') ws.close(cmd.code ?? 1000, cmd.reason ?? '')
          else if (cmd.type === 'fake.quote-key')
            ws.send(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `Incorrect API key provided: ${ws.data.key}` } }))
          else if (cmd.type === 'fake.flood') for (let i = 0; i < (cmd.count ?? 0); i++) ws.send(new Uint8Array(cmd.size ?? 1024))
          return
        }
        ws.send(message)
      },
      close(_ws, code, reason) {
        up.closes.push({ code, reason })
        changed()
      },
    },
  })
  up.url = `http://127.0.0.1:${server.port}`
  return up
}
