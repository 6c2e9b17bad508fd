/** The access_keys table on PostgreSQL (part of the PostgreSQL store). */
import { asc, eq, sql } from 'drizzle-orm'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import { accessKeyPatch } from './access-key-fields'
import * as s from './schema/pg'
import type { AccessKeyStore } from './types'

export function pgAccessKeys(db: PostgresJsDatabase<typeof s>, now: () => number): AccessKeyStore {
  const a = s.accessKeys
  return {
    async listAccessKeys() {
      return db.select().from(a).orderBy(asc(a.id))
    },
    async getAccessKey(id) {
      return (await db.select().from(a).where(eq(a.id, id)))[0] ?? null
    },
    async createAccessKey(k) {
      const t = now()
      const [row] = await db.insert(a).values({ ...k, created_at: t, updated_at: t }).returning()
      return row!
    },
    async updateAccessKey(id, patch) {
      const [row] = await db.update(a).set({ ...accessKeyPatch(patch), updated_at: now() }).where(eq(a.id, id)).returning()
      return row ?? null
    },
    async deleteAccessKey(id) {
      return (await db.delete(a).where(eq(a.id, id))).count > 0
    },
    async touchAccessKeys(uses) {
      if (uses.length === 0) return
      const values = sql.join(uses.map((u) => sql`(${u.id}::int, ${u.last_used_at}::bigint)`), sql`, `)
      await db.execute(sql`UPDATE ${a} SET last_used_at = GREATEST(COALESCE(${a.last_used_at}, 0), v.t)
        FROM (VALUES ${values}) AS v(id, t) WHERE ${a.id} = v.id`)
    },
  }
}
