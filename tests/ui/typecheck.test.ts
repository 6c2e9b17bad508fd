/** The UI has its own tsconfig (DOM, Solid JSX) outside the root project, so type-check it here. */
import { expect, test } from 'bun:test'
import { join } from 'node:path'

test('ui/ passes tsc --noEmit under its own strict tsconfig', () => {
  const root = join(import.meta.dir, '..', '..')
  const tsc = Bun.spawnSync([process.execPath, join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(root, 'ui', 'tsconfig.json')], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  expect({ code: tsc.exitCode, output: tsc.stdout.toString() + tsc.stderr.toString() }).toEqual({ code: 0, output: '' })
})
