import { afterAll, expect, test } from 'bun:test'
import { accessSync, chmodSync, constants, copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const SCRIPTS = join(import.meta.dir, '../../scripts')

/** Every directory from `dir` up to / can be entered by anyone (o+x), so `nobody` reaches files inside. */
function openToAll(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false
    if (d === dirname(d)) return true
  }
}

/**
 * The script runs as `nobody` below, who cannot read a checkout inside a private directory (a clone in a 0700
 * temp dir): run a copy, with what it needs beside it, from a directory everyone can read.
 */
const COPY = mkdtempSync(join(openToAll(tmpdir()) ? tmpdir() : '/tmp', 'keypool-install-'))
for (const name of ['install.sh', 'keypool.service']) {
  copyFileSync(join(SCRIPTS, name), join(COPY, name))
  chmodSync(join(COPY, name), 0o644)
}
chmodSync(COPY, 0o755)
accessSync(join(COPY, 'install.sh'), constants.R_OK)
const SCRIPT = join(COPY, 'install.sh')
afterAll(() => rmSync(COPY, { recursive: true, force: true }))

function run(args: string[], asNobody = false) {
  // As root (CI containers), drop to nobody with setpriv to see the refusal; otherwise we are not root already.
  const prefix = asNobody && process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
  // cwd: the copy's directory, which nobody can enter (the test's own may be private)
  const r = Bun.spawnSync([...prefix, 'bash', SCRIPT, ...args], { cwd: COPY, stdout: 'pipe', stderr: 'pipe' })
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
