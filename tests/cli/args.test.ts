import { describe, expect, test } from 'bun:test'
import { parseArgs } from '../../server/cli/args'
import { EXIT, UsageError } from '../../server/cli/exit-codes'

/** The UsageError parseArgs throws for argv (fails the test when it does not throw one). */
function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv)
  } catch (err) {
    if (err instanceof UsageError) return err
    throw err
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`)
}

describe('commands', () => {
  test('no arguments serves', () => {
    expect(parseArgs([])).toEqual({ command: 'serve', envOverrides: {} })
    expect(parseArgs(['serve'])).toEqual({ command: 'serve', envOverrides: {} })
  })

  test('help and version, long, short and as words', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['keys', 'import', '--help']]) {
      expect(parseArgs(argv).command).toBe('help')
    }
    for (const argv of [['--version'], ['-v'], ['version']]) expect(parseArgs(argv).command).toBe('version')
  })

  test('healthcheck', () => {
    expect(parseArgs(['healthcheck', '--port', '8080'])).toEqual({
      command: 'healthcheck',
      envOverrides: { PORT: '8080' },
    })
  })

  test('keys import', () => {
    expect(parseArgs(['keys', 'import', 'openai', 'keys.txt'])).toEqual({
      command: 'keys-import',
      group: 'openai',
      file: 'keys.txt',
      envOverrides: {},
    })
    expect(parseArgs(['keys', 'import', 'openai', '-'])).toMatchObject({ file: '-' })
  })

  test('keys export with defaults and with every option', () => {
    expect(parseArgs(['keys', 'export', 'g'])).toEqual({
      command: 'keys-export',
      group: 'g',
      status: 'all',
      envOverrides: {},
    })
    expect(parseArgs(['keys', 'export', 'g', '--status=invalid', '--out', 'bad.txt'])).toEqual({
      command: 'keys-export',
      group: 'g',
      status: 'invalid',
      out: 'bad.txt',
      envOverrides: {},
    })
  })

  test('migrate-keys to a new key or to none', () => {
    expect(parseArgs(['migrate-keys', '--to-key', 'a-new-long-secret'])).toEqual({
      command: 'migrate-keys',
      toKey: 'a-new-long-secret',
      envOverrides: {},
    })
    expect(parseArgs(['migrate-keys', '--disable'])).toEqual({ command: 'migrate-keys', toKey: null, envOverrides: {} })
  })
})

describe('env flags', () => {
  test('map onto env names, in both spellings, before or after the command', () => {
    const cmd = parseArgs([
      '--port=8080',
      '--host',
      '127.0.0.1',
      'keys',
      'export',
      'g',
      '--data-dir',
      '/srv/kp',
      '--database-dsn=postgres://u@h/db',
      '--redis-dsn',
      'redis://h:6379',
      '--log-level',
      'debug',
      '--config',
      'prod.env',
    ])
    expect(cmd).toEqual({
      command: 'keys-export',
      group: 'g',
      status: 'all',
      configFile: 'prod.env',
      envOverrides: {
        PORT: '8080',
        HOST: '127.0.0.1',
        DATA_DIR: '/srv/kp',
        DATABASE_DSN: 'postgres://u@h/db',
        REDIS_DSN: 'redis://h:6379',
        LOG_LEVEL: 'debug',
      },
    })
  })

  test('port 0 is allowed (any free port)', () => {
    expect(parseArgs(['--port', '0']).envOverrides).toEqual({ PORT: '0' })
  })
})

describe('usage errors name the flag or argument and exit 2', () => {
  const cases: [string[], string][] = [
    [['--nope'], 'unknown flag --nope'],
    [['-x'], 'unknown flag -x'],
    [['--port'], 'flag --port needs a value'],
    [['--port', '--host', 'h'], 'flag --port needs a value'],
    [['--port='], 'flag --port needs a value'],
    [['--port', 'http'], 'flag --port must be a port number'],
    [['--port', '65536'], 'flag --port must be a port number'],
    [['--port', '-1'], 'flag --port must be a port number'],
    [['--log-level', 'loud'], 'flag --log-level must be one of debug|info|warn|error'],
    [['--port', '1', '--port', '2'], 'flag --port given twice'],
    [['--help=yes'], 'flag --help takes no value'],
    [['--disable'], 'flag --disable belongs to "keypool migrate-keys", not "keypool serve"'],
    [['--status', 'all'], 'flag --status belongs to "keypool keys export"'],
    [['keys', 'import', 'g', 'f', '--out', 'x'], 'flag --out belongs to "keypool keys export"'],
    [['launch'], 'unknown command "launch"'],
    [['serve', 'extra'], 'unexpected argument "extra"'],
    [['healthcheck', 'now'], 'unexpected argument "now"'],
    [['keys'], 'missing subcommand: keys import|export'],
    [['keys', 'delete'], 'unknown subcommand "keys delete"'],
    [['keys', 'import', 'g'], 'missing argument: usage is "keypool keys import <group> <file>"'],
    [['keys', 'import', 'g', 'f', 'more'], 'unexpected argument "more"'],
    [['keys', 'export'], 'missing argument'],
    [['keys', 'export', 'g', '--status', 'gone'], 'flag --status must be one of active|cooling|invalid|disabled|all'],
    [['migrate-keys'], 'migrate-keys needs --to-key <new key> or --disable'],
    [['migrate-keys', '--to-key', 'k', '--disable'], 'flags --to-key and --disable exclude each other'],
    [['migrate-keys', '--to-key'], 'flag --to-key needs a value'],
    [['migrate-keys', 'now', '--disable'], 'unexpected argument "now"'],
  ]
  for (const [argv, message] of cases) {
    test(argv.join(' ') || '(empty)', () => {
      const err = usageError(argv)
      expect(err.message).toContain(message)
      expect(err.exitCode).toBe(EXIT.usage)
    })
  }
})
