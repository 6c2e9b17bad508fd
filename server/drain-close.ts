/**
 * The drain after SIGTERM: every answer the old process still gives says `connection: close`, so a client or nginx
 * holding a kept-alive connection opens a new one, and the new connection lands on the process that took the port
 * over (REUSE_PORT). Bun's own `stop(false)` closes idle kept-alive connections but not those mid-request.
 */
import type { Server } from 'bun'

type Fetch = (request: Request, server: Server<unknown>) => Response | Promise<Response> | undefined | Promise<Response | undefined>

/** Swaps the server's fetch for one that closes each connection after its answer. */
export function closeConnectionsAfterAnswer(server: Server<unknown>, fetch: Fetch): void {
  // routes: {} sends Elysia's static routes through fetch too, so they also get the header.
  server.reload({
    routes: {},
    fetch: async (request: Request, srv: Server<unknown>) => {
      const res = await fetch(request, srv)
      // undefined: a WebSocket upgrade took the request
      return res === undefined ? res : withConnectionClose(res)
    },
  } as never)
}

function withConnectionClose(res: Response): Response {
  try {
    res.headers.set('connection', 'close')
    return res
  } catch {
    // headers of a fetch() answer passed through are immutable: same body and status, new headers
    const headers = new Headers(res.headers)
    headers.set('connection', 'close')
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers })
  }
}
