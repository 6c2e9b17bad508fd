/**
 * `bun start`: installs dependencies and builds the UI when missing or stale, then runs the server with
 * BUN_CONFIG_MAX_HTTP_REQUESTS set (Bun's fetch reads it only at process start; without it 256 upstream
 * requests at most are in flight). Arguments pass through to the CLI (`bun start -- --port 8080`).
 */
import { join } from 'node:path'
import { ensureDeps, ROOT } from './ensure-deps'

ensureDeps()
const { ensureUiBuilt } = await import('./build-ui')
try {
  await ensureUiBuilt({ log: (m) => console.log(m) })
} catch (err) {
  console.error(`UI build failed, serving the API and proxy without it: ${(err as Error).message}`)
}
const child = Bun.spawn([process.execPath, join(ROOT, 'server/main.ts'), ...process.argv.slice(2)], {
  env: { BUN_CONFIG_MAX_HTTP_REQUESTS: '16384', ...process.env },
  stdio: ['inherit', 'inherit', 'inherit'],
})
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig))
process.exit(await child.exited)
