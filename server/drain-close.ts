/**
 * The drain after SIGTERM: every answer the old process still gives says `connection: close`, so a client or nginx
 * holding a kept-alive connection opens a new one, and the new connection lands on the process that took the port
 * over (REUSE_PORT). Bun's own `stop(false)` closes idle kept-alive connections but not those mid-request.
 */
import type { Server } from 'bun'

type Fetch = (request: Request, server: Server<unknown>) => Response | Promise<Response> | undefined | Promise<Response | undefined>

/**
 * How long a draining process with REUSE_PORT keeps its listener open while already answering with
 * `connection: close`. Bun's `stop(false)` closes every kept-alive connection that sits between two requests, and a
 * client (nginx included) that was just sending its next request on one gets a reset, which nginx does not retry
 * for a POST. Once each busy connection has carried one more answer with `connection: close`, the clients no longer
 * reuse them and closing the listener finds almost no connection between requests.
 */
export const HANDOVER_MS = 1000

/** Swaps the server's fetch for one that closes each connection after its answer. */
export function closeConnectionsAfterAnswer(server: Server<unknown>, fetch: Fetch): void {
  // routes: {} sends what the Bun-native routes served (the proxy's, Elysia's static answers) through fetch as
  // well, so those answers get the header too; the app's Elysia routes answer them with the same handlers.
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
