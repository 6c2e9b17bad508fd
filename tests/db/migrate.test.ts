import { afterAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import postgres from 'postgres'
import { migratePg, migrateSqlite, splitStatements } from '../../db/migrate'
import { pgMigrations } from '../../db/migrations/pg'
import { sqliteMigrations } from '../../db/migrations/sqlite'
import { openPgStore } from '../../db/pg-store'
import { identityCipher } from '../../db/cipher'
import { dropSchemas, PG_URL, pgReachable, uniqueSchema } from './pg-env'

const TABLES = ['access_keys', 'api_keys', 'groups', 'hourly_stats', 'meta', 'model_prices', 'request_logs', 'system_settings']

test('splitStatements splits on drizzle-kit breakpoints and drops empties', () => {
  expect(splitStatements('CREATE A;--> statement-breakpoint\nCREATE B;\n--> statement-breakpoint\n')).toEqual([
    'CREATE A;', 'CREATE B;',
  ])
})

describe('sqlite migrations', () => {
  test('apply once; running again is a no-op', () => {
    const db = new Database(':memory:')
    expect(migrateSqlite(db, sqliteMigrations)).toEqual(sqliteMigrations.map((m) => m.name))
    db.run(`INSERT INTO meta (key, value) VALUES ('kept', '1')`)
    expect(migrateSqlite(db, sqliteMigrations)).toEqual([])
    const tables = db.query<{ name: string }, []>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    ).all()
    expect(tables.map((t) => t.name)).toEqual(['__migrations', ...TABLES])
    expect(db.query('SELECT value FROM meta').get()).toEqual({ value: '1' })
    db.close()
  })

  test('a failing migration rolls back entirely', () => {
    const db = new Database(':memory:')
    const bad = [{ name: '0000_bad', sql: 'CREATE TABLE t1 (a int);--> statement-breakpoint\nNOT SQL' }]
    expect(() => migrateSqlite(db, bad)).toThrow()
    expect(db.query(`SELECT name FROM sqlite_master WHERE name IN ('t1', '__migrations')`).all()).toEqual([])
    db.close()
  })
})

describe('postgres migrations', async () => {
  const reachable = await pgReachable()
  afterAll(dropSchemas)

  test('a wrong DSN fails with a message naming DATABASE_DSN, password masked', async () => {
    // port 1 on localhost refuses at once: no waiting on a timeout
    const dsn = 'postgres://keypool:hunter2@127.0.0.1:1/nodb'
    const err = await openPgStore(dsn, identityCipher).then(() => null, (e: unknown) => e as Error)
    expect(err?.message).toStartWith('DATABASE_DSN: cannot connect to postgres://keypool:***@127.0.0.1:1/nodb: ')
    expect(err?.message).not.toContain('hunter2')
  })

  test.skipIf(!reachable)('apply once in the chosen schema; running again is a no-op', async () => {
    const schema = uniqueSchema()
    const store = await openPgStore(PG_URL, identityCipher, { schema })
    await store.setMeta('kept', '1')
    await store.close()
    const sql = postgres(PG_URL, { max: 1, onnotice: () => {}, connection: { search_path: schema } })
    try {
      expect(await migratePg(sql, pgMigrations)).toEqual([])
      const tables = await sql<{ table_name: string }[]>`SELECT table_name FROM information_schema.tables
        WHERE table_schema = ${schema} ORDER BY table_name`
      expect(tables.map((t) => t.table_name)).toEqual(['__migrations', ...TABLES])
      expect((await sql`SELECT value FROM meta`).map((r) => r.value)).toEqual(['1'])
    } finally {
      await sql.end()
    }
  })
})
