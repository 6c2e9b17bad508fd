/** TypeScript strict is part of the contract: server, db, scripts and tests type-check (the UI has its own test). */
import { expect, test } from 'bun:test'
import { join } from 'node:path'

test('the project passes tsc --noEmit under the root tsconfig', () => {
  const root = join(import.meta.dir, '..', '..')
  const tsc = Bun.spawnSync([process.execPath, join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  expect({ code: tsc.exitCode, output: tsc.stdout.toString() + tsc.stderr.toString() }).toEqual({ code: 0, output: '' })
})
