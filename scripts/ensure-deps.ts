/**
 * Installs the locked dependencies when node_modules is missing or older than bun.lock, so `bun start` and
 * `bun run test` work in a fresh clone with nothing but bun (brought by npx).
 */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dir, '..')

export function ensureDeps(): void {
  const modules = join(ROOT, 'node_modules')
  const lock = join(ROOT, 'bun.lock')
  const marker = join(modules, '.bun-tag')
  const stale = !existsSync(modules) || (existsSync(lock) && existsSync(marker) && statSync(lock).mtimeMs > statSync(marker).mtimeMs)
  if (!stale && existsSync(join(modules, 'elysia'))) return
  console.log('installing dependencies (bun install --frozen-lockfile)…')
  const r = Bun.spawnSync([process.execPath, 'install', '--frozen-lockfile'], { cwd: ROOT, stdout: 'inherit', stderr: 'inherit' })
  if (r.exitCode !== 0) process.exit(r.exitCode ?? 1)
}
