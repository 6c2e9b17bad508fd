/**
 * Fresh GPT-Load databases for the import tests, one per dialect: a SQLite file, a new PostgreSQL database on
 * TEST_PG_URL, a new MariaDB/MySQL database on TEST_MYSQL_URL (default root@127.0.0.1:3306). Each is dropped by
 * `drop()`. An unreachable server skips its tests with a message, or fails them when CI=true.
 */
import { Database } from 'bun:sqlite'
import { SQL } from 'bun'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PG_URL } from '../../db/pg-env'
import { type Dialect, insertText, type Row, schemaStatements } from './gpt-load-fixture'

export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

export interface GptLoadDb {
  dialect: Dialect
  /** the DSN GPT-Load itself would be configured with */
  dsn: string
  fill(tables: [string, Row[]][]): Promise<void>
  drop(): Promise<void>
}

const unique = () => `kp_gptload_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`

/** true when the server answers; under CI=true an unreachable one throws (a CI without it must not pass). */
export async function reachable(dialect: 'postgres' | 'mysql'): Promise<boolean> {
  const url = dialect === 'postgres' ? PG_URL : MYSQL_URL
  const sql = new SQL(url, { max: 1, connectionTimeout: 5 })
  try {
    await sql.unsafe('SELECT 1')
    return true
  } catch (err) {
    const env = dialect === 'postgres' ? 'TEST_PG_URL' : 'TEST_MYSQL_URL'
    if (process.env.CI === 'true') throw new Error(`${env} ${url} is unreachable and CI=true: ${err}`)
    console.warn(`skipping GPT-Load ${dialect} import tests: ${url} is unreachable (${err}); set ${env}`)
    return false
  } finally {
    await sql.close().catch(() => {})
  }
}

export async function createGptLoadDb(dialect: Dialect): Promise<GptLoadDb> {
  if (dialect === 'sqlite') return sqliteDb()
  const name = unique()
  const adminUrl = dialect === 'postgres' ? PG_URL : MYSQL_URL
  const admin = new SQL(adminUrl, { max: 1 })
  try {
    await admin.unsafe(dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`)
  } finally {
    await admin.close()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const dbUrl = url.toString()
  return {
    dialect,
    // each as GPT-Load's .env example writes it: PostgreSQL with sslmode, MySQL as Go's DSN with loc=Local
    dsn: dialect === 'postgres' ? `${dbUrl}?sslmode=disable` : `${url.username}${url.password ? `:${url.password}` : ''}@tcp(${url.hostname}:${url.port || 3306})/${name}?charset=utf8mb4&parseTime=True&loc=Local`,
    async fill(tables) {
      const sql = new SQL(dbUrl, { max: 1 })
      try {
        for (const s of schemaStatements(dialect)) await sql.unsafe(s)
        for (const [table, rows] of tables) {
          for (const row of rows) {
            const { text, values } = insertText(dialect, table, row)
            await sql.unsafe(text, values as never[])
          }
        }
      } finally {
        await sql.close()
      }
    },
    async drop() {
      const sql = new SQL(adminUrl, { max: 1 })
      try {
        await sql.unsafe(dialect === 'postgres' ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${name}\``)
      } finally {
        await sql.close()
      }
    },
  }
}

function sqliteDb(): GptLoadDb {
  const dir = mkdtempSync(join(tmpdir(), 'keypool-gptload-'))
  const file = join(dir, 'gpt-load.db')
  return {
    dialect: 'sqlite',
    dsn: file,
    async fill(tables) {
      const db = new Database(file, { create: true })
      try {
        for (const s of schemaStatements('sqlite')) db.run(s)
        for (const [table, rows] of tables) {
          for (const row of rows) {
            const { text, values } = insertText('sqlite', table, row)
            db.query(text).run(...(values as never[]))
          }
        }
      } finally {
        db.close()
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** An empty PostgreSQL database for keypool's own store (a GPT-Load PostgreSQL user moving to a keypool cluster). */
export async function createKeypoolPgDb(): Promise<{ dsn: string; hasTables(): Promise<boolean>; drop(): Promise<void> }> {
  const name = unique()
  const admin = new SQL(PG_URL, { max: 1 })
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.close()
  }
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  return {
    dsn: url.toString(),
    async hasTables() {
      const sql = new SQL(url.toString(), { max: 1 })
      try {
        const rows = (await sql.unsafe("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")) as { n: unknown }[]
        return Number(rows[0]?.n) > 0
      } finally {
        await sql.close()
      }
    },
    async drop() {
      const sql = new SQL(PG_URL, { max: 1 })
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await sql.close()
      }
    },
  }
}
