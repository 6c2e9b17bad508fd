/** The access_keys table on bun:sqlite (part of the SQLite store). */
import { asc, eq, sql } from 'drizzle-orm'
import type { BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite'
import { accessKeyPatch } from './access-key-fields'
import * as s from './schema/sqlite'
import type { AccessKeyStore } from './types'

export function sqliteAccessKeys(db: BunSQLiteDatabase<typeof s>, now: () => number): AccessKeyStore {
  const a = s.accessKeys
  return {
    async listAccessKeys() {
      return db.select().from(a).orderBy(asc(a.id)).all()
    },
    async getAccessKey(id) {
      return db.select().from(a).where(eq(a.id, id)).get() ?? null
    },
    async createAccessKey(k) {
      const t = now()
      return db.insert(a).values({ ...k, created_at: t, updated_at: t }).returning().get()
    },
    async updateAccessKey(id, patch) {
      return db.update(a).set({ ...accessKeyPatch(patch), updated_at: now() }).where(eq(a.id, id)).returning().get() ?? null
    },
    async deleteAccessKey(id) {
      return db.delete(a).where(eq(a.id, id)).returning({ id: a.id }).all().length > 0
    },
    async touchAccessKeys(uses) {
      db.transaction((tx) => {
        for (const u of uses)
          tx.update(a).set({ last_used_at: sql`max(coalesce(${a.last_used_at}, 0), ${u.last_used_at})` }).where(eq(a.id, u.id)).run()
      })
    },
  }
}
