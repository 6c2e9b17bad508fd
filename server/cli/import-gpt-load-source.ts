/**
 * Read access to a GPT-Load 1.x database in any of its three dialects. SQLite goes through bun:sqlite (read-only);
 * PostgreSQL and MySQL/MariaDB through Bun's built-in SQL client, so this import needs no extra driver and the
 * server never loads any of it. Queries carry no values from outside: table and column names are our constants
 * and numbers are formatted here.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'

export type SourceDialect = 'sqlite' | 'postgres' | 'mysql'
export type SourceRow = Record<string, unknown>

export interface GptLoadSource {
  readonly dialect: SourceDialect
  /** the DSN with any password masked, for messages */
  readonly label: string
  /** DATETIME values of a MySQL DSN with `loc=Local` are wall-clock times of this machine's zone */
  readonly localTimes: boolean
  /** column names of a table (lower case); empty when the table does not exist */
  columns(table: string): Promise<Set<string>>
  /** `SELECT <cols> FROM <table> [WHERE <where>] ORDER BY <orderBy…> LIMIT n OFFSET m` */
  select(table: string, cols: string[], opts: SelectOptions): Promise<SourceRow[]>
  count(table: string): Promise<number>
  close(): Promise<void>
}

export interface SelectOptions {
  /** a condition built from our own column names and numbers only */
  where?: string
  orderBy: string[]
  limit: number
  offset?: number
}

export class SourceError extends Error {}

/** GPT-Load's own DSN forms: a SQLite path, `postgres://…` or `host=… dbname=…`, `user:pass@tcp(host:port)/db?…`. */
export function classifyDsn(dsn: string): SourceDialect {
  const d = dsn.trim()
  if (/^postgres(ql)?:\/\//i.test(d) || /(^|\s)(host|dbname)=/.test(d)) return 'postgres'
  if (/^mysql:\/\//i.test(d) || /@(tcp|unix)\(/.test(d)) return 'mysql'
  return 'sqlite'
}

/** `host=h port=5432 user=u password=p dbname=d sslmode=disable` -> `postgres://u:p@h:5432/d?sslmode=disable` */
function pgUrl(dsn: string): string {
  const d = dsn.trim()
  if (/^postgres(ql)?:\/\//i.test(d)) return d
  const kv = new Map<string, string>()
  for (const m of d.matchAll(/(\w+)=('(?:[^'\\]|\\.)*'|\S*)/g)) kv.set(m[1]!, m[2]!.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1'))
  const url = new URL('postgres://localhost')
  url.hostname = kv.get('host') ?? 'localhost'
  url.port = kv.get('port') ?? '5432'
  url.username = encodeURIComponent(kv.get('user') ?? 'postgres')
  if (kv.has('password')) url.password = encodeURIComponent(kv.get('password')!)
  url.pathname = `/${kv.get('dbname') ?? ''}`
  if (kv.has('sslmode')) url.searchParams.set('sslmode', kv.get('sslmode')!)
  return url.toString()
}

/** Go's `user:pass@tcp(host:port)/db?parseTime=true&loc=Local` -> `mysql://user:pass@host:port/db` and its loc. */
function mysqlUrl(dsn: string): { url: string; localTimes: boolean } {
  const d = dsn.trim()
  if (/^mysql:\/\//i.test(d)) {
    const u = new URL(d)
    const localTimes = u.searchParams.get('loc') === 'Local'
    u.searchParams.delete('loc')
    return { url: u.toString(), localTimes }
  }
  const m = /^(?:([^:@]*)(?::(.*))?@)?(tcp|unix)\(([^)]*)\)\/([^?]*)(?:\?(.*))?$/.exec(d)
  if (!m) throw new SourceError('--dsn: not a MySQL DSN of the form user:password@tcp(host:3306)/database')
  const [, user = 'root', password, proto, addr = '', db = '', query = ''] = m
  if (proto === 'unix') throw new SourceError('--dsn: MySQL over a unix socket is not supported; use tcp(host:port)')
  const url = new URL('mysql://localhost')
  const [host, port] = addr.includes(':') ? [addr.slice(0, addr.lastIndexOf(':')), addr.slice(addr.lastIndexOf(':') + 1)] : [addr, '3306']
  url.hostname = host || '127.0.0.1'
  url.port = port || '3306'
  url.username = encodeURIComponent(user)
  if (password !== undefined) url.password = encodeURIComponent(password)
  url.pathname = `/${db}`
  return { url: url.toString(), localTimes: new URLSearchParams(query).get('loc') === 'Local' }
}

export function maskedDsn(dsn: string): string {
  return dsn
    .replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')
    .replace(/^([^:@/]*:)[^@]*(@(tcp|unix)\()/, '$1***$2')
    .replace(/(password=)('(?:[^'\\]|\\.)*'|\S*)/, '$1***')
}

export async function openGptLoadSource(dsn: string, cwd = process.cwd()): Promise<GptLoadSource> {
  const dialect = classifyDsn(dsn)
  const label = maskedDsn(dsn.trim())
  if (dialect === 'sqlite') return openSqlite(dsn, cwd)
  const { url, localTimes } = dialect === 'postgres' ? { url: pgUrl(dsn), localTimes: false } : mysqlUrl(dsn)
  const { SQL } = await import('bun')
  const sql = new SQL(url, { max: 2 })
  try {
    await sql.unsafe('SELECT 1')
  } catch (err) {
    await sql.close().catch(() => {})
    throw new SourceError(`cannot connect to ${label}: ${(err as Error).message}`)
  }
  const q = dialect === 'postgres' ? (n: string) => `"${n}"` : (n: string) => `\`${n}\``
  const schemaFilter = dialect === 'postgres' ? 'table_schema = current_schema()' : 'table_schema = DATABASE()'
  return {
    dialect,
    label,
    localTimes,
    async columns(table) {
      const rows = (await sql.unsafe(
        `SELECT column_name AS name FROM information_schema.columns WHERE ${schemaFilter} AND table_name = '${table}'`,
      )) as { name: string }[]
      return new Set(rows.map((r) => String(r.name).toLowerCase()))
    },
    async select(table, cols, opts) {
      return (await sql.unsafe(selectText(q, table, cols, opts))) as SourceRow[]
    },
    async count(table) {
      const rows = (await sql.unsafe(`SELECT COUNT(*) AS n FROM ${q(table)}`)) as { n: unknown }[]
      return Number(rows[0]?.n ?? 0)
    },
    close: () => sql.close(),
  }
}

function selectText(q: (name: string) => string, table: string, cols: string[], opts: SelectOptions): string {
  const where = opts.where ? ` WHERE ${opts.where}` : ''
  const offset = opts.offset ? ` OFFSET ${Math.floor(opts.offset)}` : ''
  return `SELECT ${cols.map(q).join(', ')} FROM ${q(table)}${where} ORDER BY ${opts.orderBy.map(q).join(', ')} LIMIT ${Math.floor(opts.limit)}${offset}`
}

async function openSqlite(dsn: string, cwd: string): Promise<GptLoadSource> {
  // GORM's SQLite DSNs may carry `?_pragma=…` options after the path.
  const path = dsn.trim().replace(/^file:/, '').replace(/\?.*$/, '')
  const file = isAbsolute(path) ? path : resolve(cwd, path)
  if (path === '' || !existsSync(file)) throw new SourceError(`--dsn: no SQLite database at ${file}`)
  const { Database } = await import('bun:sqlite')
  const db = new Database(file, { readonly: true })
  const q = (n: string) => `"${n}"`
  return {
    dialect: 'sqlite',
    // the absolute path: the same file is the same source (and log cursor) from any working directory
    label: file,
    localTimes: false,
    async columns(table) {
      const rows = db.query(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]
      return new Set(rows.map((r) => r.name.toLowerCase()))
    },
    async select(table, cols, opts) {
      return db.query(selectText(q, table, cols, opts)).all() as SourceRow[]
    },
    async count(table) {
      return Number((db.query(`SELECT COUNT(*) AS n FROM ${q(table)}`).get() as { n: number }).n)
    },
    async close() {
      db.close()
    },
  }
}
