/**
 * The CLI entry: parses argv, builds the env, runs one command and returns the process exit code. server/main.ts
 * calls it with its `startServer`; everything else (keys, migrate-keys, healthcheck, help, version) lives here.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { ConfigError, loadEnv, type Env } from '../config/env'
import { parseArgs, type CliCommand } from './args'
import { ensureFetchLimit } from './ensure-fetch-limit'
import { resolveEnvSource, type EnvSource } from './env-source'
import { EXIT, UsageError } from './exit-codes'
import { checkHealth, healthUrl } from './healthcheck'
import { helpText } from './help'
import { exportKeys, importKeys } from './keys-commands'
import { accessKeyLines, createAccessKeyCli, disableAccessKeyCli } from './access-keys-commands'
import { migrateKeys } from './migrate-keys'
import { versionLine } from './version'
import { openStore, type OpenStoreOptions } from '../../db/open'
import { log } from '../shared/logger'

export interface ServerHandle {
  stop(): Promise<void>
  /** after the grace ran out: log the open requests as interrupted, cut them, flush and close */
  interrupt?(): Promise<void>
}

export interface CliRuntime {
  startServer(env: Env): Promise<ServerHandle>
  /** resolves when the server should stop; default: the first SIGINT or SIGTERM */
  waitForStop?: () => Promise<string>
  stdout?: (text: string) => void
  stderr?: (text: string) => void
  readStdin?: () => Promise<string>
  /** whether stderr is a terminal (progress bars); default: process.stderr's, when stderr is not replaced */
  stderrIsTty?: boolean
  cwd?: string
}

type Io = Required<Pick<CliRuntime, 'stdout' | 'stderr' | 'readStdin' | 'stderrIsTty'>> & { cwd?: string }

export async function runCli(argv: string[], processEnv: EnvSource, rt: CliRuntime): Promise<number> {
  const io: Io = {
    stdout: rt.stdout ?? ((t) => process.stdout.write(t)),
    stderr: rt.stderr ?? ((t) => process.stderr.write(t)),
    readStdin: rt.readStdin ?? (() => Bun.stdin.text()),
    stderrIsTty: rt.stderrIsTty ?? (rt.stderr === undefined && process.stderr.isTTY === true),
    cwd: rt.cwd,
  }
  try {
    const cmd = parseArgs(argv)
    // GPT-Load's key from the environment keeps it out of `ps` (a flag is visible to every user of the machine)
    if (cmd.command === 'import-gpt-load' && cmd.encryptionKey === undefined && processEnv.GPT_LOAD_ENCRYPTION_KEY)
      cmd.encryptionKey = processEnv.GPT_LOAD_ENCRYPTION_KEY
    if (cmd.command === 'help' || cmd.command === 'version') {
      io.stdout(cmd.command === 'help' ? helpText() : `${versionLine()}\n`)
      return EXIT.ok
    }
    const source = resolveEnvSource(cmd, processEnv, rt.cwd)
    if (cmd.command === 'healthcheck') return await healthcheck(source, io)
    const env = loadEnv(source)
    if (cmd.command === 'serve') return await serve(env, processEnv, rt, io)
    return await dataCommand(cmd, env, io)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (err instanceof UsageError) {
      io.stderr(`keypool: ${message}\nRun "keypool --help" for usage.\n`)
      return EXIT.usage
    }
    if (err instanceof ConfigError) {
      io.stderr(`keypool: configuration error: ${message}\n`)
      return EXIT.config
    }
    io.stderr(`keypool: ${message}\n`)
    return EXIT.runtime
  }
}

async function healthcheck(source: EnvSource, io: Io): Promise<number> {
  const url = healthUrl(source)
  const result = await checkHealth(url)
  const write = result.healthy ? io.stdout : io.stderr
  write(`${url}: ${result.detail}\n`)
  return result.healthy ? EXIT.ok : EXIT.runtime
}

/** How long the final flush after a timed-out shutdown may take. */
const INTERRUPT_FLUSH_MS = 5000

async function serve(env: Env, processEnv: EnvSource, rt: CliRuntime, io: Io): Promise<number> {
  // Checked after loadEnv so a bad config fails once, before the process replaces itself.
  if (await ensureFetchLimit(processEnv)) return Number(process.exitCode ?? EXIT.runtime)
  const server = await rt.startServer(env)
  const signal = await (rt.waitForStop ?? waitForSignal)()
  // While serving, every line goes through the logger (one format, scrubbed)
  log.info(`${signal} received, stopping (up to ${env.gracefulShutdownTimeout}s)`)
  const timedOut = Symbol('timeout')
  let timer: ReturnType<typeof setTimeout> | undefined
  const outcome = await Promise.race([
    server.stop(),
    new Promise<symbol>((resolve) => (timer = setTimeout(resolve, env.gracefulShutdownTimeout * 1000, timedOut))),
  ])
  clearTimeout(timer)
  if (outcome === timedOut) {
    log.error('graceful shutdown timed out; exiting with requests still open (logged as interrupted)')
    // Bounded too: a storage that hangs must not keep the process from exiting.
    await Promise.race([server.interrupt?.().catch(() => {}), Bun.sleep(INTERRUPT_FLUSH_MS)])
    return EXIT.runtime
  }
  return EXIT.ok
}

/** The first SIGINT/SIGTERM starts the shutdown; later ones are ignored (the graceful timeout bounds it). */
function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    let received = false
    const onSignal = (signal: NodeJS.Signals) => {
      if (!received) resolve(signal)
      received = true
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}

function storeOptions(env: Env): OpenStoreOptions {
  return { dsn: env.databaseDsn, dataDir: env.dataDir, encryptionKey: env.encryptionKey }
}

async function dataCommand(cmd: CliCommand, env: Env, io: Io): Promise<number> {
  if (cmd.command === 'migrate-keys') {
    const result = await migrateKeys(storeOptions(env), cmd.toKey)
    const now = cmd.toKey === null ? 'stored in plain text' : 'encrypted with the new key'
    io.stdout(`migrated ${result.keys} keys in ${result.groups} groups: ${now}.\n`)
    io.stdout(
      cmd.toKey === null
        ? 'Remove ENCRYPTION_KEY from the configuration of every node before starting them.\n'
        : 'Set ENCRYPTION_KEY to the new key on every node before starting them.\n',
    )
    return EXIT.ok
  }
  if (cmd.command === 'import-gpt-load') return importGptLoad(cmd, env, io)
  if (cmd.command === 'access-keys-create' || cmd.command === 'access-keys-list' || cmd.command === 'access-keys-disable')
    return accessKeysCommand(cmd, env, io)
  if (cmd.command !== 'keys-import' && cmd.command !== 'keys-export') return EXIT.usage
  // Read the input before opening the store so a missing file costs nothing.
  const text = cmd.command === 'keys-import' ? await readInput(cmd.file, io) : ''
  const store = await openStore(storeOptions(env))
  try {
    if (cmd.command === 'keys-import') {
      const r = await importKeys(store, cmd.group, text, cmd.file === '-' ? 'stdin' : cmd.file)
      io.stdout(`group ${cmd.group}: ${r.added_count} added, ${r.ignored_count} ignored, ${r.total_in_group} in total\n`)
      return EXIT.ok
    }
    const keys = await exportKeys(store, cmd.group, cmd.status)
    const body = keys.length === 0 ? '' : `${keys.join('\n')}\n`
    if (cmd.out === undefined) io.stdout(body)
    else {
      // Plain keys: readable by the owner only, also when the file already existed.
      writeFileSync(cmd.out, body, { mode: 0o600 })
      chmodSync(cmd.out, 0o600)
    }
    io.stderr(`group ${cmd.group}: ${keys.length} keys exported (status ${cmd.status})\n`)
    return EXIT.ok
  } finally {
    await store.close()
  }
}

async function importGptLoad(cmd: Extract<CliCommand, { command: 'import-gpt-load' }>, env: Env, io: Io): Promise<number> {
  // Loaded on demand: neither the server nor the other commands carry the importer.
  const importer = await import('./import-gpt-load')
  const { summaryText } = await import('./import-gpt-load-progress')
  const result = await importer.importGptLoad({
    dsn: cmd.dsn,
    encryptionKey: cmd.encryptionKey,
    withLogs: cmd.withLogs,
    openStore: () => openStore(storeOptions(env)),
    progress: { write: io.stderr, tty: io.stderrIsTty },
    cwd: io.cwd,
  })
  io.stderr(summaryText(result.summary, result.notes))
  io.stderr('A running keypool node serves the imported groups and keys after kill -HUP <pid> (or a restart).\n')
  return importer.failedAny(result.summary) ? EXIT.runtime : EXIT.ok
}

async function readInput(file: string, io: Io): Promise<string> {
  if (file === '-') return io.readStdin()
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

type AccessKeysCommand = Extract<CliCommand, { command: 'access-keys-create' | 'access-keys-list' | 'access-keys-disable' }>

async function accessKeysCommand(cmd: AccessKeysCommand, env: Env, io: Io): Promise<number> {
  const store = await openStore(storeOptions(env))
  try {
    if (cmd.command === 'access-keys-create') {
      const { key, row } = await createAccessKeyCli(store, cmd.name, cmd.options)
      // stdout carries only the secret, so a script can capture it; it is never shown again
      io.stdout(`${key}\n`)
      io.stderr(`access key "${row.name}" created (id ${row.id}); the secret above is shown this once only.\n`)
    } else if (cmd.command === 'access-keys-list') {
      io.stdout(`${accessKeyLines(await store.listAccessKeys()).join('\n')}\n`)
    } else {
      const row = await disableAccessKeyCli(store, cmd.key)
      io.stderr(`access key "${row.name}" (id ${row.id}) disabled.\n`)
    }
  } finally {
    await store.close()
  }
  io.stderr('A running keypool node applies access-key changes after kill -HUP <pid> (or a restart); the admin API applies them at once.\n')
  return EXIT.ok
}
