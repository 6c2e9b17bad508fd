import { afterEach, beforeEach, describe, expect, spyOn, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Env } from '../../server/config/env'
import { EXIT } from '../../server/cli/exit-codes'
import { runCli, type CliRuntime } from '../../server/cli/run'
import { VERSION } from '../../server/cli/version'

let dir = ''
let out = ''
let err = ''
let started: Env[] = []
let stopped = 0

function runtime(over: Partial<CliRuntime> = {}): CliRuntime {
  return {
    startServer: async (env) => {
      started.push(env)
      return { stop: async () => void stopped++ }
    },
    waitForStop: async () => 'SIGTERM',
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: dir,
    ...over,
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-run-'))
  out = err = ''
  started = []
  stopped = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('exit codes', () => {
  test('--help prints the usage, exit 0', async () => {
    expect(await runCli(['--help'], {}, runtime())).toBe(EXIT.ok)
    expect(out).toContain('keypool keys export <group>')
  })

  test('--version prints version and commit, exit 0', async () => {
    expect(await runCli(['-v'], {}, runtime())).toBe(EXIT.ok)
    expect(out).toStartWith(`keypool ${VERSION} (dev) bun-${Bun.version}`)
  })

  test('a usage error exits 2 and names the flag', async () => {
    expect(await runCli(['--prot', '80'], {}, runtime())).toBe(EXIT.usage)
    expect(err).toBe('keypool: unknown flag --prot\nRun "keypool --help" for usage.\n')
  })

  test('an invalid env value exits 3 and names the variable; nothing starts', async () => {
    expect(await runCli([], { MAX_CONCURRENT_REQUESTS: 'lots' }, runtime())).toBe(EXIT.config)
    expect(err).toContain('MAX_CONCURRENT_REQUESTS')
    expect(started).toEqual([])
  })

  test('an unreadable --config file exits 3 and names it', async () => {
    expect(await runCli(['--config', join(dir, 'missing.env')], {}, runtime())).toBe(EXIT.config)
    expect(err).toContain(`--config ${join(dir, 'missing.env')}: ENOENT`)
  })

  test('a failing migrate-keys exits 1', async () => {
    expect(await runCli(['migrate-keys', '--disable', '--data-dir', dir], {}, runtime())).toBe(EXIT.runtime)
    expect(err).toBe('keypool: encryption is already off (ENCRYPTION_KEY is unset)\n')
  })
})

describe('serve', () => {
  test('starts with the merged config, stops on the signal, exits 0', async () => {
    writeFileSync(join(dir, '.env'), 'PORT=4000\nHOST=10.0.0.1\nLOG_LEVEL=warn\n')
    const code = await runCli(['--port', '4100'], { HOST: '127.0.0.2', DATA_DIR: dir }, runtime())
    expect(code).toBe(EXIT.ok)
    expect(started.map((e) => ({ port: e.port, host: e.host, logLevel: e.logLevel, dataDir: e.dataDir }))).toEqual([
      { port: 4100, host: '127.0.0.2', logLevel: 'warn', dataDir: dir },
    ])
    expect(stopped).toBe(1)
  })

  test('--config replaces ./.env', async () => {
    writeFileSync(join(dir, '.env'), 'PORT=4000\n')
    writeFileSync(join(dir, 'other.env'), 'SERVER_GRACEFUL_SHUTDOWN_TIMEOUT=3\n')
    await runCli(['--config', join(dir, 'other.env')], {}, runtime())
    expect(started.map((e) => [e.port, e.gracefulShutdownTimeout])).toEqual([[3001, 3]])
  })

  test('a stop that outlives the graceful timeout exits 1', async () => {
    const rt = runtime({ startServer: async () => ({ stop: () => new Promise<void>(() => {}) }) })
    // said through the process logger, as every line while serving
    const logged = spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(await runCli([], { SERVER_GRACEFUL_SHUTDOWN_TIMEOUT: '0' }, rt)).toBe(EXIT.runtime)
      expect(logged.mock.calls.flat().join('\n')).toContain('graceful shutdown timed out')
    } finally {
      logged.mockRestore()
    }
  })
})

describe('healthcheck', () => {
  test('exit 0 when /health answers 2xx on PORT', async () => {
    using server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => Response.json({ status: 'ok' }) })
    expect(await runCli(['healthcheck', '--port', String(server.port)], {}, runtime())).toBe(EXIT.ok)
    expect(out).toBe(`http://127.0.0.1:${server.port}/health: 200 {"status":"ok"}\n`)
  })

  test('exit 1 when /health answers 503', async () => {
    using server = Bun.serve({ port: 0, fetch: () => new Response('draining', { status: 503 }) })
    expect(await runCli(['healthcheck'], { PORT: String(server.port) }, runtime())).toBe(EXIT.runtime)
    expect(err).toBe(`http://127.0.0.1:${server.port}/health: 503 draining\n`)
  })

  test('exit 1 when nothing listens', async () => {
    const server = Bun.serve({ port: 0, fetch: () => new Response('') })
    const port = server.port
    await server.stop(true)
    expect(await runCli(['healthcheck', '--port', String(port)], {}, runtime())).toBe(EXIT.runtime)
  })
})
