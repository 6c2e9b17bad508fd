/**
 * Everything the app is built from. `createApp(deps)` (server/app.ts) composes the Elysia plugins over these;
 * `server/main.ts` builds real ones from the env; tests build them with real parts (sqlite :memory:, port 0).
 * Each part declares the port it needs (admin/deps.ts, jobs/deps.ts, the proxy's ProxyDeps); this is their union,
 * so nothing below the entry imports this file.
 */
import type { AdminDeps } from './admin/deps'
import type { JobDeps } from './jobs/deps'
import type { ResponseCache } from './cache/service'

export interface AppDeps extends AdminDeps, JobDeps {
  /** the proxy's response cache (memory, or Redis in a cluster) */
  cache: ResponseCache
}
