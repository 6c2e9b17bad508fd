/**
 * PostgreSQL for tests: TEST_PG_URL (default local), one unique schema per opened store so parallel runs never
 * collide; `dropSchemas` removes them at the end. When PG is unreachable: a failure in CI, else a skip (tests/support/ci-gate.ts).
 */
import postgres from 'postgres'
import { serviceGate } from '../support/ci-gate'

export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const RUN = `kp_t${process.pid}_${Math.random().toString(36).slice(2, 8)}`
const created: string[] = []

export function uniqueSchema(): string {
  const name = `${RUN}_${created.length}`
  created.push(name)
  return name
}

export async function pgReachable(): Promise<boolean> {
  const sql = postgres(PG_URL, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await sql`SELECT 1`
    return true
  } catch (err) {
    return serviceGate('PostgreSQL tests', `${PG_URL} is unreachable: ${err}`, 'set TEST_PG_URL')
  } finally {
    await sql.end({ timeout: 1 })
  }
}

export async function dropSchemas(): Promise<void> {
  if (created.length === 0) return
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} })
  try {
    for (const name of created.splice(0)) await sql.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)
  } finally {
    await sql.end({ timeout: 1 })
  }
}
