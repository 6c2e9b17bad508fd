/**
 * PostgreSQL connection for the store: one postgres.js pool, optionally confined to a schema (created when
 * missing) through the `search_path` startup parameter, verified before use so a bad DATABASE_DSN fails at start
 * with a readable message and the password masked.
 */
import postgres, { type Sql } from 'postgres'

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** `postgres://user:***@host:5432/db`: safe to print. */
export function maskDsn(dsn: string): string {
  try {
    const u = new URL(dsn)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return dsn.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')
  }
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return err.message || (typeof code === 'string' ? code : err.name)
  }
  return String(err)
}

export interface PgConnectOptions {
  schema?: string
  /** pool size */
  max?: number
}

export async function connectPg(dsn: string, opts: PgConnectOptions = {}): Promise<Sql> {
  const { schema } = opts
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`DATABASE_DSN: invalid PostgreSQL schema name "${schema}" (use lower-case letters, digits, _)`)
  }
  const fail = (err: unknown) => new Error(`DATABASE_DSN: cannot connect to ${maskDsn(dsn)}: ${reason(err)}`)
  let sql: Sql
  try {
    sql = postgres(dsn, {
      max: opts.max ?? 10,
      connect_timeout: 10,
      onnotice: () => {},
      connection: schema ? { search_path: schema } : {},
    })
  } catch (err) {
    throw fail(err)
  }
  try {
    // The schema must exist before any connection relies on search_path; CREATE works whatever the path is.
    if (schema) await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    else await sql`SELECT 1`
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {})
    throw fail(err)
  }
  return sql
}
