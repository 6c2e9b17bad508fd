/** The SQLite log sink's worker on a real database file, and when its file cannot be opened. */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { SqliteLogSink } from '../../db/sqlite-log-sink'

const dir = mkdtempSync(join(tmpdir(), 'keypool-log-sink-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a database that cannot be opened: every write is refused with the reason, and nothing goes unhandled', async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => void unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const sink = new SqliteLogSink(join(dir, 'gone', 'keypool.db'))
    const refused = await sink.insertLogs([]).then(() => 'written', (err: Error) => err.message)
    expect(refused).toContain('unable to open database file')
    // later writes say the same, without asking the worker again
    expect(await sink.addHourlyStats([]).then(() => 'written', (err: Error) => err.message)).toContain('could not be opened')
    await sink.close()
    await Bun.sleep(50)
    expect(unhandled).toEqual([])
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
})

test('a database that opens: writes resolve once the worker committed them', async () => {
  const data = join(dir, 'store')
  // the worker writes into request_logs / hourly_stats of a migrated store
  await (await openStore({ dsn: '', dataDir: data })).close()
  const sink = new SqliteLogSink(join(data, 'keypool.db'))
  await sink.insertLogs([])
  await sink.close()
})
