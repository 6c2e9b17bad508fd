import { expect, test } from 'bun:test'
import { join } from 'node:path'

const SCRIPT = join(import.meta.dir, '../../scripts/install.sh')

function run(args: string[], asNobody = false) {
  // As root (CI containers), drop to nobody with setpriv to see the refusal; otherwise we are not root already.
  const prefix = asNobody && process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
  const r = Bun.spawnSync([...prefix, 'bash', SCRIPT, ...args], { stdout: 'pipe', stderr: 'pipe' })
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
}

test('the script is valid bash', () => {
  expect(Bun.spawnSync(['bash', '-n', SCRIPT]).exitCode).toBe(0)
})

test('--help prints the usage', () => {
  const r = run(['--help'])
  expect(r.code).toBe(0)
  expect(r.out).toContain('install.sh --uninstall')
})

test('refuses politely without root, before touching anything', () => {
  const r = run(['/bin/true'], true)
  expect(r.code).toBe(1)
  expect(r.err).toContain('needs root')
  expect(r.err).toContain('sudo')
  expect(run(['--uninstall'], true).code).toBe(1)
})

test('usage errors exit 2', () => {
  expect(run([]).code).toBe(2)
  expect(run(['--bogus']).err).toContain('unknown flag --bogus')
  expect(run(['--purge', '/bin/true']).code).toBe(2)
  expect(run(['--uninstall', '/bin/true']).code).toBe(2)
})
