/**
 * The UI has its own tsconfig (DOM, Solid JSX) outside the root project, so type-check it here. Its API client is
 * typed from the server app (Eden `treaty<App>`), so the second test proves a renamed admin route breaks the UI's
 * build: it type-checks a copy of the tree with one route renamed.
 */
import { expect, test } from 'bun:test'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dir, '..', '..')

function tscUi(base: string) {
  const tsc = Bun.spawnSync([process.execPath, join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(base, 'ui', 'tsconfig.json')], {
    cwd: base,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  return { code: tsc.exitCode, output: tsc.stdout.toString() + tsc.stderr.toString() }
}

test('ui/ passes tsc --noEmit under its own strict tsconfig', () => {
  expect(tscUi(root)).toEqual({ code: 0, output: '' })
})

test("renaming an admin route the UI calls fails the UI's type-check at the call", () => {
  const copy = mkdtempSync(join(tmpdir(), 'keypool-ui-rename-'))
  try {
    for (const part of ['server', 'db', 'ui/src', 'ui/tsconfig.json', 'ui/vite.config.ts', 'package.json'])
      cpSync(join(root, part), join(copy, part), { recursive: true })
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'))
    const groups = join(copy, 'server', 'admin', 'groups.ts')
    const source = readFileSync(groups, 'utf8')
    expect(source).toContain("'/:id/stats'")
    writeFileSync(groups, source.replace("'/:id/stats'", "'/:id/statistics'"))
    const r = tscUi(copy)
    expect(r.code).not.toBe(0)
    expect(r.output).toContain('ui/src/api/client.ts')
    expect(r.output).toContain("Property 'stats' does not exist")
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
})
