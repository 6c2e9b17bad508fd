/**
 * Command-line parsing. `parseArgs(process.argv.slice(2))` returns one command; any mistake throws a UsageError
 * naming the flag or argument (exit code 2). Flags that mirror env variables are returned as env overrides so they
 * win over the environment and the .env file (see env-source.ts).
 */
import { KEY_STATUSES, type KeyStatus } from '../../db/types'
import { UsageError } from './exit-codes'

/** Flags accepted by every command, mapped onto the env variable they override. */
export const ENV_FLAGS: Readonly<Record<string, string>> = {
  '--port': 'PORT',
  '--host': 'HOST',
  '--data-dir': 'DATA_DIR',
  '--database-dsn': 'DATABASE_DSN',
  '--redis-dsn': 'REDIS_DSN',
  '--log-level': 'LOG_LEVEL',
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type ExportStatus = KeyStatus | 'all'

interface CommonOptions {
  /** env name -> value, from the flags above */
  envOverrides: Record<string, string>
  /** `--config <path>`: the .env file to read instead of ./.env */
  configFile?: string
}

export type CliCommand = CommonOptions &
  (
    | { command: 'serve' }
    | { command: 'help' }
    | { command: 'version' }
    | { command: 'healthcheck' }
    | { command: 'keys-import'; group: string; file: string }
    | { command: 'keys-export'; group: string; status: ExportStatus; out?: string }
    /** toKey null = decrypt everything (disable encryption at rest) */
    | { command: 'migrate-keys'; toKey: string | null }
    | { command: 'import-gpt-load'; dsn: string; encryptionKey?: string; withLogs: boolean }
    | { command: 'access-keys-create'; name: string; options: Record<string, string> }
    | { command: 'access-keys-list' }
    | { command: 'access-keys-disable'; key: string }
  )

/** Options only some commands take, and who takes them. */
const COMMAND_FLAGS: Readonly<Record<string, string>> = {
  '--status': 'keys export',
  '--out': 'keys export',
  '--to-key': 'migrate-keys',
  '--disable': 'migrate-keys',
  '--dsn': 'import gpt-load',
  '--encryption-key': 'import gpt-load',
  '--with-logs': 'import gpt-load',
  '--groups': 'access-keys create',
  '--models': 'access-keys create',
  '--ip-allowlist': 'access-keys create',
  '--rpm': 'access-keys create',
  '--tpm': 'access-keys create',
  '--concurrency': 'access-keys create',
  '--token-budget': 'access-keys create',
  '--cost-budget': 'access-keys create',
  '--budget-period': 'access-keys create',
  '--expires-at': 'access-keys create',
  '--notes': 'access-keys create',
}
const VALUELESS_FLAGS = new Set(['--disable', '--with-logs', '--help', '-h', '--version', '-v'])

interface Scanned {
  positionals: string[]
  flags: Map<string, string | true>
}

/** Splits argv into positionals and flags (`--name value`, `--name=value`), rejecting unknown or repeated flags. */
function scan(argv: string[]): Scanned {
  const positionals: string[] = []
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    const known = name in ENV_FLAGS || name in COMMAND_FLAGS || name === '--config' || VALUELESS_FLAGS.has(name)
    if (!known) throw new UsageError(`unknown flag ${name}`)
    if (flags.has(name)) throw new UsageError(`flag ${name} given twice`)
    if (VALUELESS_FLAGS.has(name)) {
      if (eq !== -1) throw new UsageError(`flag ${name} takes no value`)
      flags.set(name, true)
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i]
    if (value === undefined || value === '') throw new UsageError(`flag ${name} needs a value`)
    flags.set(name, value)
  }
  return { positionals, flags }
}

function checkEnvFlag(flag: string, value: string): void {
  if (flag === '--port' && !(/^\d{1,5}$/.test(value) && Number(value) <= 65535)) {
    throw new UsageError(`flag --port must be a port number 0-65535, got "${value}"`)
  }
  if (flag === '--log-level' && !(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new UsageError(`flag --log-level must be one of ${LOG_LEVELS.join('|')}, got "${value}"`)
  }
}

function common(flags: Map<string, string | true>): CommonOptions {
  const envOverrides: Record<string, string> = {}
  for (const [flag, envName] of Object.entries(ENV_FLAGS)) {
    const value = flags.get(flag)
    if (typeof value !== 'string') continue
    checkEnvFlag(flag, value)
    envOverrides[envName] = value
  }
  const config = flags.get('--config')
  return typeof config === 'string' ? { envOverrides, configFile: config } : { envOverrides }
}

/** Rejects command-specific flags given to a command that does not take them. */
function onlyFlagsOf(commandName: string, flags: Map<string, string | true>): void {
  for (const flag of flags.keys()) {
    const owner = COMMAND_FLAGS[flag]
    if (owner !== undefined && owner !== commandName) {
      throw new UsageError(`flag ${flag} belongs to "keypool ${owner}", not "keypool ${commandName}"`)
    }
  }
}

function exactly(positionals: string[], count: number, usage: string): void {
  if (positionals.length < count) throw new UsageError(`missing argument: usage is "keypool ${usage}"`)
  if (positionals.length > count) {
    throw new UsageError(`unexpected argument "${positionals[count]}": usage is "keypool ${usage}"`)
  }
}

export function parseArgs(argv: string[]): CliCommand {
  const { positionals, flags } = scan(argv)
  const base = common(flags)
  if (flags.has('--help') || flags.has('-h') || positionals[0] === 'help') return { ...base, command: 'help' }
  if (flags.has('--version') || flags.has('-v') || positionals[0] === 'version') return { ...base, command: 'version' }

  const [first, second] = positionals
  switch (first) {
    case undefined:
    case 'serve':
    case 'healthcheck': {
      const name = first ?? 'serve'
      onlyFlagsOf(name, flags)
      exactly(positionals, first === undefined ? 0 : 1, name)
      return { ...base, command: name === 'healthcheck' ? 'healthcheck' : 'serve' }
    }
    case 'keys':
      if (second === 'import') {
        onlyFlagsOf('keys import', flags)
        exactly(positionals, 4, 'keys import <group> <file>')
        return { ...base, command: 'keys-import', group: positionals[2]!, file: positionals[3]! }
      }
      if (second === 'export') return keysExport(base, positionals, flags)
      throw new UsageError(
        second === undefined ? 'missing subcommand: keys import|export' : `unknown subcommand "keys ${second}"`,
      )
    case 'migrate-keys':
      return migrateKeys(base, positionals, flags)
    case 'access-keys':
      return accessKeys(base, positionals, flags)
    case 'import':
      if (second === 'gpt-load') return importGptLoad(base, positionals, flags)
      throw new UsageError(second === undefined ? 'missing source: keypool import gpt-load' : `unknown import source "${second}" (keypool imports gpt-load)`)
    default:
      throw new UsageError(`unknown command "${first}" (see keypool --help)`)
  }
}

function keysExport(base: CommonOptions, positionals: string[], flags: Map<string, string | true>): CliCommand {
  onlyFlagsOf('keys export', flags)
  exactly(positionals, 3, 'keys export <group> [--status <status>] [--out <file>]')
  const status = (flags.get('--status') as string | undefined) ?? 'all'
  if (status !== 'all' && !(KEY_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`flag --status must be one of ${[...KEY_STATUSES, 'all'].join('|')}, got "${status}"`)
  }
  const out = flags.get('--out') as string | undefined
  const cmd = { ...base, command: 'keys-export' as const, group: positionals[2]!, status: status as ExportStatus }
  return out === undefined ? cmd : { ...cmd, out }
}

function migrateKeys(base: CommonOptions, positionals: string[], flags: Map<string, string | true>): CliCommand {
  onlyFlagsOf('migrate-keys', flags)
  exactly(positionals, 1, 'migrate-keys --to-key <new key> | --disable')
  const toKey = flags.get('--to-key') as string | undefined
  const disable = flags.has('--disable')
  if (disable && toKey !== undefined) throw new UsageError('flags --to-key and --disable exclude each other')
  if (!disable && toKey === undefined) throw new UsageError('migrate-keys needs --to-key <new key> or --disable')
  return { ...base, command: 'migrate-keys', toKey: disable ? null : toKey! }
}

function importGptLoad(base: CommonOptions, positionals: string[], flags: Map<string, string | true>): CliCommand {
  onlyFlagsOf('import gpt-load', flags)
  exactly(positionals, 2, 'import gpt-load --dsn <GPT-Load DATABASE_DSN> [--encryption-key <key>] [--with-logs]')
  const dsn = flags.get('--dsn') as string | undefined
  if (dsn === undefined) throw new UsageError("import gpt-load needs --dsn <GPT-Load's DATABASE_DSN>")
  const key = flags.get('--encryption-key') as string | undefined
  const cmd = { ...base, command: 'import-gpt-load' as const, dsn, withLogs: flags.has('--with-logs') }
  return key === undefined ? cmd : { ...cmd, encryptionKey: key }
}

function accessKeys(base: CommonOptions, positionals: string[], flags: Map<string, string | true>): CliCommand {
  const sub = positionals[1]
  if (sub === 'create') {
    onlyFlagsOf('access-keys create', flags)
    exactly(positionals, 3, 'access-keys create <name> [--rpm <n>] [--groups <a,b>] …')
    const options: Record<string, string> = {}
    for (const [flag, value] of flags) if (COMMAND_FLAGS[flag] === 'access-keys create') options[flag.slice(2)] = value as string
    return { ...base, command: 'access-keys-create', name: positionals[2]!, options }
  }
  if (sub === 'list') {
    onlyFlagsOf('access-keys list', flags)
    exactly(positionals, 2, 'access-keys list')
    return { ...base, command: 'access-keys-list' }
  }
  if (sub === 'disable') {
    onlyFlagsOf('access-keys disable', flags)
    exactly(positionals, 3, 'access-keys disable <name or id>')
    return { ...base, command: 'access-keys-disable', key: positionals[2]! }
  }
  throw new UsageError(sub === undefined ? 'missing subcommand: access-keys create|list|disable' : `unknown subcommand "access-keys ${sub}"`)
}
