/**
 * Embedded migration runner for both dialects. Migrations are SQL strings compiled into the binary (see
 * migrations/{sqlite,pg}/index.ts); each is applied once, in order, inside one transaction, and recorded in
 * `__migrations`. Re-running is a no-op.
 */
import type { Database } from 'bun:sqlite'
import type { Sql } from 'postgres'

export interface Migration {
  name: string
  sql: string
}

const TRACKING_TABLE = '__migrations'

/** drizzle-kit separates statements with this marker; drivers that run one statement at a time need them split. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** Returns the names of the migrations applied by this call. */
export function migrateSqlite(db: Database, migrations: Migration[]): string[] {
  const applied: string[] = []
  // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a migration.
  db.run('BEGIN IMMEDIATE')
  try {
    db.run(`CREATE TABLE IF NOT EXISTS ${TRACKING_TABLE} (name text PRIMARY KEY NOT NULL, applied_at integer NOT NULL)`)
    const done = new Set(db.query<{ name: string }, []>(`SELECT name FROM ${TRACKING_TABLE}`).all().map((r) => r.name))
    for (const m of migrations) {
      if (done.has(m.name)) continue
      for (const stmt of splitStatements(m.sql)) db.run(stmt)
      db.run(`INSERT INTO ${TRACKING_TABLE} (name, applied_at) VALUES (?, ?)`, [m.name, Date.now()])
      applied.push(m.name)
    }
    db.run('COMMIT')
  } catch (err) {
    db.run('ROLLBACK')
    throw err
  }
  return applied
}

/** Runs in the connection's search_path (the schema chosen by openPgStore). Returns the names applied. */
export async function migratePg(sql: Sql, migrations: Migration[]): Promise<string[]> {
  return sql.begin(async (tx) => {
    // Serialise concurrent starters (several nodes of a cluster) for the length of this transaction.
    await tx`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.keypool_migrations'))`
    await tx.unsafe(
      `CREATE TABLE IF NOT EXISTS ${TRACKING_TABLE} (name text PRIMARY KEY NOT NULL, applied_at bigint NOT NULL)`,
    )
    const rows = await tx.unsafe<{ name: string }[]>(`SELECT name FROM ${TRACKING_TABLE}`)
    const done = new Set(rows.map((r) => r.name))
    const applied: string[] = []
    for (const m of migrations) {
      if (done.has(m.name)) continue
      for (const stmt of splitStatements(m.sql)) await tx.unsafe(stmt)
      await tx.unsafe(`INSERT INTO ${TRACKING_TABLE} (name, applied_at) VALUES ($1, $2)`, [m.name, Date.now()])
      applied.push(m.name)
    }
    return applied
  })
}
