/**
 * The real services the multi-node tests run against: PostgreSQL at TEST_PG_URL (a fresh database per test file,
 * dropped at the end) and Redis at TEST_REDIS_URL (a unique key prefix per cluster, its keys deleted at the end).
 * Either missing: the suites skip with a message, or fail when CI=true.
 */
import postgres from 'postgres'
import { pgReachable, PG_URL } from '../../db/pg-env'
import { REDIS_URL, redisUp } from '../redis-env'

export { PG_URL, REDIS_URL }

export const servicesUp = redisUp && (await pgReachable())

export interface TestDatabase {
  /** DATABASE_DSN of the new database */
  dsn: string
  drop(): Promise<void>
}

function admin() {
  return postgres(PG_URL, { max: 1, onnotice: () => {} })
}

/** A new empty database `keypool_t_<random>` on the TEST_PG_URL server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `keypool_t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  const sql = admin()
  try {
    await sql.unsafe(`CREATE DATABASE "${name}"`)
  } finally {
    await sql.end({ timeout: 1 })
  }
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  return {
    dsn: url.toString(),
    async drop() {
      const sql = admin()
      try {
        // FORCE: a SIGKILLed node may leave a connection the server has not noticed yet
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await sql.end({ timeout: 1 })
      }
    },
  }
}

/** Rows of a query on the test database (a short-lived connection of its own). */
export async function queryDb<T extends object>(dsn: string, text: string): Promise<T[]> {
  const sql = postgres(dsn, { max: 1, onnotice: () => {} })
  try {
    return [...(await sql.unsafe<T[]>(text))]
  } finally {
    await sql.end({ timeout: 1 })
  }
}
