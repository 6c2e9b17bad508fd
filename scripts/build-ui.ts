/**
 * Builds the admin UI (`ui/` -> `ui/dist`) when it is missing or older than its sources.
 * `scripts/start.ts` awaits `ensureUiBuilt()` so `bun start` in a fresh checkout serves the UI.
 * Run directly (`bun scripts/build-ui.ts [--force]`) to build now.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '..')
const UI = join(ROOT, 'ui')
export const UI_DIST = join(UI, 'dist')

/** Everything whose change alters the bundle (the type-only import of the server's App type does not). */
const INPUTS = [
  join(UI, 'src'),
  join(UI, 'public'),
  join(UI, 'index.html'),
  join(UI, 'vite.config.ts'),
  join(ROOT, 'package.json'),
]

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

export function isUiStale(distDir = UI_DIST): boolean {
  const index = join(distDir, 'index.html')
  if (!existsSync(index)) return true
  const built = statSync(index).mtimeMs
  return INPUTS.some((p) => newestMtime(p) > built)
}

/** Runs `vite build` under Bun (no Node needed); throws with vite's output when it fails. */
export async function buildUi(): Promise<void> {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
  const proc = Bun.spawn([process.execPath, vite, 'build', '--config', join(UI, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`UI build failed (vite exit ${code}):\n${out}${err}`)
}

export async function ensureUiBuilt(opts: { force?: boolean; log?: (msg: string) => void } = {}): Promise<void> {
  if (!opts.force && !isUiStale()) return
  const log = opts.log ?? ((m: string) => console.log(m))
  log('building the admin UI (ui/ -> ui/dist)…')
  const started = performance.now()
  await buildUi()
  log(`admin UI built in ${Math.round(performance.now() - started)} ms`)
}

if (import.meta.main) {
  await ensureUiBuilt({ force: process.argv.includes('--force') })
}
