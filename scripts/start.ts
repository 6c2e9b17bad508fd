/**
 * `bun start` (through ./start.ts): installs dependencies and builds the UI when missing or stale, then becomes the
 * server: execve into `bun server/main.ts` with BUN_CONFIG_MAX_HTTP_REQUESTS set (Bun's fetch reads it only at
 * process start; without it 256 upstream requests at most are in flight). Same pid, one process, and the memory the
 * UI build took is gone. Arguments pass through to the CLI (`bun start --port 8080`).
 */
import { join } from 'node:path'
import { platformExecve, withFetchLimit } from '../server/cli/ensure-fetch-limit'
import { ensureDeps, ROOT } from './ensure-deps'

ensureDeps()
const { ensureUiBuilt } = await import('./build-ui')
try {
  await ensureUiBuilt({ log: (m) => console.log(m) })
} catch (err) {
  console.error(`UI build failed, serving the API and proxy without it: ${(err as Error).message}`)
}
const main = join(ROOT, 'server/main.ts')
// `bun start -- --port 8080` hands the `--` on; the CLI wants only what follows it.
const args = process.argv.slice(2)
if (args[0] === '--') args.shift()
const execve = platformExecve()
if (execve) execve(process.execPath, [process.execPath, ...process.execArgv, main, ...args], withFetchLimit(process.env))
// No execve (Windows): run the server here; server/main.ts starts itself again with the variable when it is missing.
process.argv.splice(2, process.argv.length, ...args)
await import(main)
