/** The pieces of `keypool import gpt-load` on their own: DSN forms, GPT-Load's key sealing, time columns, progress. */
import { describe, expect, test } from 'bun:test'
import { parseArgs } from '../../server/cli/args'
import { UsageError } from '../../server/cli/exit-codes'
import { gptLoadKeyReader } from '../../server/cli/import-gpt-load-crypto'
import { bool, json, keyStatus, time } from '../../server/cli/import-gpt-load-map'
import { emptySummary, Progress, summaryText } from '../../server/cli/import-gpt-load-progress'
import { classifyDsn, maskedDsn } from '../../server/cli/import-gpt-load-source'
import { gptCipher, plainHash, TEST_ENCRYPTION_KEY } from './support/gpt-load-fixture'

describe('the command line', () => {
  test('parses --dsn, --encryption-key and --with-logs', () => {
    expect(parseArgs(['import', 'gpt-load', '--dsn', './gpt.db', '--encryption-key', 'k', '--with-logs'])).toMatchObject({
      command: 'import-gpt-load', dsn: './gpt.db', encryptionKey: 'k', withLogs: true,
    })
    expect(parseArgs(['import', 'gpt-load', '--dsn=postgres://u@h/db'])).toMatchObject({ command: 'import-gpt-load', withLogs: false })
  })

  test('names what is missing or misplaced', () => {
    expect(() => parseArgs(['import', 'gpt-load'])).toThrow(new UsageError("import gpt-load needs --dsn <GPT-Load's DATABASE_DSN>"))
    expect(() => parseArgs(['import', 'one-api', '--dsn', 'x'])).toThrow('unknown import source "one-api"')
    expect(() => parseArgs(['keys', 'export', 'g', '--with-logs'])).toThrow('flag --with-logs belongs to "keypool import gpt-load"')
  })
})

describe('GPT-Load DSNs', () => {
  test('every form GPT-Load accepts is recognised', () => {
    expect(['./data/gpt-load.db', '/var/lib/gpt-load.db', 'postgres://u:p@h:5432/db?sslmode=disable',
      'host=db user=gpt password=secret dbname=gptload port=5432 sslmode=disable', 'root:pw@tcp(mysql:3306)/gpt-load?parseTime=True&loc=Local',
      'mysql://root@127.0.0.1:3306/gpt'].map(classifyDsn)).toEqual(['sqlite', 'sqlite', 'postgres', 'postgres', 'mysql', 'mysql'])
  })

  test('passwords never reach a message', () => {
    expect(maskedDsn('postgres://u:s3cret@h:5432/db')).toBe('postgres://u:***@h:5432/db')
    expect(maskedDsn('root:s3cret@tcp(mysql:3306)/gpt-load')).toBe('root:***@tcp(mysql:3306)/gpt-load')
    expect(maskedDsn('host=db password=s3cret dbname=x')).toBe('host=db password=*** dbname=x')
  })
})

describe("GPT-Load's stored keys", () => {
  test('a sealed key opens with the encryption key, a plain one is recognised by its SHA-256 hash', async () => {
    const c = await gptCipher(TEST_ENCRYPTION_KEY)
    const reader = gptLoadKeyReader(TEST_ENCRYPTION_KEY)
    const sealed = await c.seal('sk-secret-0001')
    expect(reader.reveal(sealed, await c.hash('sk-secret-0001'))).toBe('sk-secret-0001')
    expect(reader.reveal('sk-plain-0002', plainHash('sk-plain-0002'))).toBe('sk-plain-0002')
    // a tampered value fails GCM's check rather than giving garbage
    expect(reader.reveal(sealed.slice(0, -2) + (sealed.endsWith('00') ? '11' : '00'), await c.hash('sk-secret-0001'))).toBeNull()
  })

  test('without the encryption key a sealed value is not taken for a key; with no hash at all it is plain', async () => {
    const c = await gptCipher(TEST_ENCRYPTION_KEY)
    const reader = gptLoadKeyReader(undefined)
    expect(reader.reveal(await c.seal('sk-secret-0001'), await c.hash('sk-secret-0001'))).toBeNull()
    expect(reader.reveal('sk-old-row', null)).toBe('sk-old-row')
    expect(gptLoadKeyReader('another-key').reveal(await c.seal('sk-x'), await c.hash('sk-x'))).toBeNull()
  })
})

describe('column values in every dialect', () => {
  test('times: SQLite text with an offset and nanoseconds, Dates, MySQL wall-clock times with loc=Local', () => {
    expect(time('2025-08-01 20:00:00.123456789+08:00')).toBe(Date.parse('2025-08-01T12:00:00.123Z'))
    expect(time('2025-08-01 12:00:00')).toBe(Date.parse('2025-08-01T12:00:00.000Z'))
    expect(time(new Date('2025-08-01T12:00:00.000Z'))).toBe(Date.parse('2025-08-01T12:00:00.000Z'))
    expect(time(new Date('2025-08-01T12:00:00.000Z'), true)).toBe(new Date(2025, 7, 1, 12, 0, 0).getTime())
    expect([time(null), time(''), time('yesterday')]).toEqual([null, null, null])
  })

  test('booleans, JSON and key states', () => {
    expect([bool(1), bool(0), bool(true), bool('t'), bool('0'), bool(null)]).toEqual([true, false, true, true, false, false])
    expect([json('{"a":1}', {}), json({ a: 1 }, {}), json('', []), json('not json', null)]).toEqual([{ a: 1 }, { a: 1 }, [], null])
    expect(['active', 'invalid', 'INVALID', 'disabled', 'cooling', ''].map(keyStatus)).toEqual(['active', 'invalid', 'invalid', 'disabled', 'active', 'active'])
  })
})

describe('progress', () => {
  test('on a terminal: one bar redrawn in place, throttled, ended with a newline', () => {
    let out = ''
    let now = 0
    const p = new Progress({ write: (t) => void (out += t), tty: true, now: () => now, width: 10 })
    p.start('keys', 4)
    p.advance() // within 100 ms of the first draw: not redrawn
    now = 200
    p.advance()
    p.finish()
    expect(out.split('\r').slice(1)).toEqual(['keys     [..........]   0% 0/4', 'keys     [#####.....]  50% 2/4\n'])
  })

  test('elsewhere: a plain line at the start, every few seconds, and at the end (once)', () => {
    let out = ''
    let now = 0
    const p = new Progress({ write: (t) => void (out += t), tty: false, now: () => now, everyMs: 1000 })
    p.start('logs', 3000)
    for (let i = 0; i < 3000; i++) {
      now += 1
      p.advance()
    }
    p.finish()
    expect(out).toBe('import logs: 0/3000 (0%)\nimport logs: 1000/3000 (33%)\nimport logs: 2000/3000 (66%)\nimport logs: 3000/3000 (100%)\n')
  })

  test('the summary counts every phase and lists the notes', () => {
    const s = emptySummary()
    s.keys = { imported: 12, skipped: 3, failed: 1 }
    expect(summaryText(s, ['1 key(s) could not be decrypted'])).toContain('  keys            12        3       1\n')
    expect(summaryText(s, ['1 key(s) could not be decrypted'])).toContain('  - 1 key(s) could not be decrypted')
  })
})
