import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pkg from '../../package.json'

const ROOT = join(import.meta.dir, '../..')
const HOST = `${process.platform}-${process.arch}`
let outDir = ''
let binary = ''
let buildOutput = ''

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'keypool-build-'))
  binary = join(outDir, `keypool-${HOST}`)
  const r = Bun.spawnSync([process.execPath, 'scripts/build.ts', `--target=${HOST}`, '--skip-ui', `--outdir=${outDir}`], {
    cwd: ROOT,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  buildOutput = r.stdout.toString() + r.stderr.toString()
  if (r.exitCode !== 0) throw new Error(`build failed:\n${buildOutput}`)
})
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

function run(args: string[], cwd = outDir) {
  const r = Bun.spawnSync([binary, ...args], { cwd, stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } })
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
}

test('writes the binary and a SHA256SUMS that matches it', () => {
  const sums = readFileSync(join(outDir, 'SHA256SUMS'), 'utf8')
  const digest = new Bun.CryptoHasher('sha256').update(readFileSync(binary)).digest('hex')
  expect(sums).toBe(`${digest}  keypool-${HOST}\n`)
  expect(buildOutput).toMatch(new RegExp(`keypool-${HOST}\\s+\\d+\\.\\d MB`))
})

test('the binary reports the injected version and commit', () => {
  const git = Bun.spawnSync(['git', 'rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, stdout: 'pipe', stderr: 'ignore' })
  const commit = git.exitCode === 0 ? git.stdout.toString().trim() : 'dev'
  const r = run(['--version'])
  expect(r.code).toBe(0)
  expect(r.out).toBe(`keypool ${pkg.version} (${commit}) bun-${Bun.version} ${HOST}\n`)
})

test('the binary answers --help and usage errors with their exit codes', () => {
  expect(run(['--help']).out).toContain('Exit codes:')
  const bad = run(['--bogus'])
  expect(bad.code).toBe(2)
  expect(bad.err).toContain('unknown flag --bogus')
})

test('the binary does not autoload ./.env: --config replaces it', () => {
  writeFileSync(join(outDir, '.env'), 'MAX_CONCURRENT_REQUESTS=lots\n')
  writeFileSync(join(outDir, 'good.env'), `DATA_DIR=${join(outDir, 'data')}\n`)
  try {
    expect(run(['keys', 'export', 'none']).code).toBe(3)
    const withConfig = run(['keys', 'export', 'none', '--config', join(outDir, 'good.env')])
    expect(withConfig.err).toBe('keypool: group "none" not found\n')
    expect(withConfig.code).toBe(1)
  } finally {
    rmSync(join(outDir, '.env'))
  }
})

test('an unknown --target fails the build with the list of platforms', () => {
  const r = Bun.spawnSync([process.execPath, 'scripts/build.ts', '--target=plan9-mips'], { cwd: ROOT, stderr: 'pipe' })
  expect(r.exitCode).toBe(1)
  expect(r.stderr.toString()).toContain('unknown platform "plan9-mips" (linux-x64, linux-arm64')
})
