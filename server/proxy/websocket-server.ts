/**
 * The `websocket` handler given to Bun.serve. Each upgraded connection carries its own handlers in `ws.data`
 * (the proxy's WebSocketSession; Elysia's own `.ws()` routes use the same convention), so one server-wide
 * handler serves every kind of socket. It also keeps the open sockets so a graceful stop can close them:
 * Bun's `server.stop()` waits for open WebSockets, which a realtime session may keep for hours.
 */
import type { ServerWebSocket, WebSocketHandler } from 'bun'
import { DEFAULT_MAX_BUFFERED, type SocketHandlers } from './websocket-session'

type Socket = ServerWebSocket<SocketHandlers>

export interface WebSocketServer {
  handler: WebSocketHandler<SocketHandlers>
  /** open proxied sockets (for shutdown and tests) */
  readonly open: number
  /** close every open socket with 1001 (going away) */
  closeAll(): void
}

export function createWebSocketServer(): WebSocketServer {
  const sockets = new Set<Socket>()
  const handler: WebSocketHandler<SocketHandlers> = {
    // One frame as large as the HTTP body limit's order of magnitude would be abuse; 16 MiB covers audio chunks.
    maxPayloadLength: DEFAULT_MAX_BUFFERED,
    backpressureLimit: DEFAULT_MAX_BUFFERED,
    open(ws) {
      sockets.add(ws)
      ws.data.open(ws)
    },
    message(ws, message) {
      ws.data.message(ws, message)
    },
    drain(ws) {
      ws.data.drain?.(ws)
    },
    close(ws, code, reason) {
      sockets.delete(ws)
      ws.data.close(ws, code, reason)
    },
  }
  return {
    handler,
    get open() {
      return sockets.size
    },
    closeAll() {
      for (const ws of sockets) {
        if (ws.data.shutdown) ws.data.shutdown()
        else ws.close(1001, 'server shutting down')
      }
    },
  }
}
