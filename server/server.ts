/**
 * Starts a node: builds the parts, composes the app, listens. `stop()` is the graceful shutdown: stop accepting,
 * let in-flight requests and streams finish, then flush request logs and key states and close storage.
 */
import type { Env } from './config/env'
import { createApp, type AppOptions } from './app'
import { buildDeps, type BuildOptions, type Built } from './bootstrap'
import { SERVE_ERROR_OPTIONS } from './shared/error-handling'
import { log } from './shared/logger'
import { reloadAllConfig } from './cluster/config-sync'
import { createWebSocketServer } from './proxy/websocket-server'
import { closeConnectionsAfterAnswer, HANDOVER_MS } from './drain-close'

export interface RunningServer {
  url: string
  port: number
  built: Built
  /** Graceful: stop accepting, let open requests and streams finish, then flush and close. */
  stop(): Promise<void>
  /**
   * When the grace ran out: every request still open is logged as interrupted, the connections are cut, logs and
   * key states are flushed and storage closed.
   */
  interrupt(): Promise<void>
}

export async function startServer(env: Env, opts: BuildOptions & AppOptions = {}): Promise<RunningServer> {
  const built = await buildDeps(env, opts)
  const app = createApp(built.deps, opts)
  const sockets = createWebSocketServer()
  app.listen({
    ...SERVE_ERROR_OPTIONS,
    port: env.port,
    hostname: env.host,
    // Bun caps idleTimeout at 255 s; proxied requests switch it off and keep request_timeout themselves.
    idleTimeout: Math.min(255, env.serverIdleTimeout),
    maxRequestBodySize: 512 * 1024 * 1024,
    // Elysia turns reusePort on. Off by default so a second node on the same port fails loudly; REUSE_PORT=true is
    // the explicit takeover: a new process binds beside this one while it drains (docs/cluster.md).
    reusePort: env.reusePort,
    // proxied WebSocket sessions (server/proxy/websocket-upgrade.ts); each socket carries its handlers
    websocket: sockets.handler as never,
  })
  const server = app.server!
  const onHup = () => {
    log.info('SIGHUP: reloading settings, groups and keys')
    reloadAllConfig(built.deps).catch((err) => log.error('SIGHUP reload failed', { error: String(err) }))
  }
  process.on('SIGHUP', onHup)
  const host = env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`
  const bound = `${env.host.includes(':') ? `[${env.host}]` : env.host}:${server.port}`
  log.info(`keypool listening on ${bound} (web admin: ${url}/)`, { version: built.deps.version, storage: built.store.dialect, pool: built.deps.pool.kind })
  let stopping: Promise<void> | null = null
  let closing: Promise<void> | null = null
  const close = () => (closing ??= built.close())
  return {
    url,
    port: server.port!,
    built,
    stop() {
      stopping ??= (async () => {
        process.off('SIGHUP', onHup)
        // Bun's stop waits for open WebSockets: a realtime session would hold the shutdown for its whole life.
        sockets.closeAll()
        closeConnectionsAfterAnswer(server, app.fetch)
        // a process taking the port over gets the new connections meanwhile; bounded by the graceful timeout
        if (env.reusePort) await Bun.sleep(Math.min(HANDOVER_MS, env.gracefulShutdownTimeout * 500))
        await server.stop(false)
        await close()
      })()
      return stopping
    },
    async interrupt() {
      // Rows first: cutting the connections would otherwise log the streams as "client closed the connection".
      const cut = built.deps.logs.interruptOpen()
      if (cut > 0) log.warn('shutdown grace over: requests still open were cut and logged as interrupted', { requests: cut })
      process.off('SIGHUP', onHup)
      void server.stop(true)
      await close()
    },
  }
}
