/**
 * Store on PostgreSQL through postgres.js + drizzle. Same behaviour as sqlite-store.ts (the shared suite checks
 * both); batches use multi-row statements so a flush is a few round trips, not one per row.
 */
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lt, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migratePg } from './migrate'
import { pgMigrations } from './migrations/pg'
import { connectPg } from './pg-connect'
import * as s from './schema/pg'
import {
  chunks, countRealKeys, fillStatusCounts, groupPatch, logConditions, logHashMoves, mergeKeyUpdates,
  pageOffset, prepareKeys, statusChange, toApiKey,
} from './store-helpers'
import { mergeHourlyStats } from './hourly-stats'
import { pgAccessKeys } from './pg-access-keys'
import type { BackendStore } from './backend'
import { hourlyWhere, usageTotalsParts } from './usage-queries'
import type { KeyCipher, KeyStateUpdate } from './types'

// PostgreSQL allows 65535 bound parameters per statement.
const KEY_CHUNK = 25000 // keys per INSERT … SELECT FROM unnest(arrays)
// PostgreSQL takes at most 65,535 bound parameters per statement: one per column of every row
const LOG_CHUNK = Math.floor(65_535 / Object.keys(getTableColumns(s.requestLogs)).length)
const UPDATE_CHUNK = 5000 // 7 values per update
const ID_CHUNK = 20000

export async function openPgStore(url: string, cipher: KeyCipher, opts: { schema?: string } = {}): Promise<BackendStore> {
  const client = await connectPg(url, { schema: opts.schema })
  try {
    await migratePg(client, pgMigrations)
  } catch (err) {
    await client.end({ timeout: 1 })
    throw err
  }
  const db = drizzle({ client, schema: s })
  const now = () => Date.now()
  const k = s.apiKeys

  /** One UPDATE … FROM (VALUES …) for a chunk; absent fields keep the row's value. */
  const updateChunk = (tx: Pick<typeof db, 'execute'>, part: KeyStateUpdate[], t: number) => {
    const values = sql.join(
      part.map((u) =>
        sql`(${u.id}::int, ${u.status ?? null}::text, ${u.cooling_until !== undefined}::bool,
          ${u.cooling_until ?? null}::bigint, ${u.failure_count ?? null}::int, ${u.requests ?? 0}::bigint,
          ${u.last_used_at ?? null}::bigint)`,
      ),
      sql`, `,
    )
    return tx.execute(sql`UPDATE ${k} SET
        status = COALESCE(v.status, ${k.status}),
        cooling_until = CASE WHEN v.set_cooling THEN v.cooling_until ELSE ${k.cooling_until} END,
        failure_count = COALESCE(v.failure_count, ${k.failure_count}),
        request_count = ${k.request_count} + v.requests,
        last_used_at = COALESCE(v.last_used_at, ${k.last_used_at}),
        updated_at = ${t}
      FROM (VALUES ${values}) AS v(id, status, set_cooling, cooling_until, failure_count, requests, last_used_at)
      WHERE ${k.id} = v.id`)
  }

  const keyCount = async (groupId: number) =>
    (await db.select({ n: count() }).from(k).where(eq(k.group_id, groupId)))[0]?.n ?? 0

  const store: BackendStore = {
    dialect: 'postgres',
    ...pgAccessKeys(db, now),
    async close() {
      await client.end({ timeout: 5 })
    },
    async ping() {
      try {
        await client`SELECT 1`
        return true
      } catch {
        return false
      }
    },

    async getSettings() {
      const rows = await db.select().from(s.systemSettings)
      return Object.fromEntries(rows.map((r) => [r.key, r.value]))
    },
    async putSettings(values) {
      const rows = Object.entries(values).map(([key, value]) => ({ key, value }))
      if (rows.length === 0) return
      await db.insert(s.systemSettings).values(rows)
        .onConflictDoUpdate({ target: s.systemSettings.key, set: { value: sql`excluded.value` } })
    },
    async getMeta(key) {
      return (await db.select().from(s.meta).where(eq(s.meta.key, key)))[0]?.value ?? null
    },
    async setMeta(key, value) {
      await db.insert(s.meta).values({ key, value }).onConflictDoUpdate({ target: s.meta.key, set: { value } })
    },
    async initMeta(key, value) {
      await db.insert(s.meta).values({ key, value }).onConflictDoNothing()
      return (await db.select().from(s.meta).where(eq(s.meta.key, key)))[0]?.value ?? value
    },

    async listGroups() {
      return (await db.select().from(s.groups).orderBy(asc(s.groups.sort), asc(s.groups.id)))
    },
    async getGroup(id) {
      const [row] = await db.select().from(s.groups).where(eq(s.groups.id, id))
      return row ?? null
    },
    async getGroupByName(name) {
      const [row] = await db.select().from(s.groups).where(eq(s.groups.name, name))
      return row ?? null
    },
    async createGroup(g) {
      const t = now()
      const [row] = await db.insert(s.groups).values({ ...(groupPatch(g) as typeof g), created_at: t, updated_at: t })
        .returning()
      return row!
    },
    async updateGroup(id, patch) {
      const [row] = await db.update(s.groups).set({ ...groupPatch(patch), updated_at: now() })
        .where(eq(s.groups.id, id)).returning()
      return row ?? null
    },
    async deleteGroup(id) {
      return db.transaction(async (tx) => {
        await tx.delete(k).where(eq(k.group_id, id))
        await tx.delete(s.hourlyStats).where(eq(s.hourlyStats.group_id, id))
        return (await tx.delete(s.groups).where(eq(s.groups.id, id))).count > 0
      })
    },
    async reorderGroups(order) {
      const t = now()
      await db.transaction(async (tx) => {
        for (const o of order) await tx.update(s.groups).set({ sort: o.sort, updated_at: t }).where(eq(s.groups.id, o.id))
      })
    },

    async addKeys(groupId, keys) {
      const rows = prepareKeys(keys, cipher)
      const t = now()
      // Two text arrays per statement (unnest) instead of 11 parameters per row: 100,000 keys in a few round trips.
      const added = await client.begin(async (tx) => {
        let n = 0
        for (const part of chunks(rows, KEY_CHUNK)) {
          const res = await tx`INSERT INTO api_keys (group_id, key_value, key_hash, created_at, updated_at)
            SELECT ${groupId}::int, v, h, ${t}::bigint, ${t}::bigint
            FROM unnest(${part.map((r) => r.key_value)}::text[], ${part.map((r) => r.key_hash)}::text[]) AS x(v, h)
            ON CONFLICT (group_id, key_hash) DO NOTHING`
          // the unique (group_id, key_hash) index does the dedup against keys already in the group
          n += res.count
        }
        return n
      })
      return { added_count: added, ignored_count: countRealKeys(keys) - added, total_in_group: await keyCount(groupId) }
    },
    async listKeys(q) {
      const where = and(
        q.group_id !== undefined ? eq(k.group_id, q.group_id) : undefined,
        q.status !== undefined ? eq(k.status, q.status) : undefined,
        q.key_hash !== undefined ? eq(k.key_hash, q.key_hash) : undefined,
      )
      const { limit, offset } = pageOffset(q.page, q.page_size)
      const rows = await db.select().from(k).where(where).orderBy(asc(k.id)).limit(limit).offset(offset)
      const total = (await db.select({ n: count() }).from(k).where(where))[0]?.n ?? 0
      return { items: rows.map((r) => toApiKey(r, cipher)), total }
    },
    async groupKeys(groupId) {
      return (await db.select().from(k).where(eq(k.group_id, groupId)).orderBy(asc(k.id))).map((r) => toApiKey(r, cipher))
    },
    async getKey(id) {
      const [row] = await db.select().from(k).where(eq(k.id, id))
      return row ? toApiKey(row, cipher) : null
    },
    async countKeysByStatus(groupId) {
      const rows = await db.select({ status: k.status, n: count() }).from(k)
        .where(groupId !== undefined ? eq(k.group_id, groupId) : undefined).groupBy(k.status)
      return fillStatusCounts(rows)
    },
    async applyKeyUpdates(updates) {
      const merged = mergeKeyUpdates(updates)
      if (merged.length === 0) return
      const t = now()
      await db.transaction(async (tx) => {
        for (const part of chunks(merged, UPDATE_CHUNK)) await updateChunk(tx, part, t)
      })
    },
    async setKeyStatus(ids, status) {
      const set = statusChange(status, now())
      return db.transaction(async (tx) => {
        let n = 0
        for (const part of chunks(ids, ID_CHUNK)) n += (await tx.update(k).set(set).where(inArray(k.id, part))).count
        return n
      })
    },
    async setKeyNotes(id, notes) {
      return (await db.update(k).set({ notes, updated_at: now() }).where(eq(k.id, id))).count > 0
    },
    async deleteKeys(groupId, ids) {
      return db.transaction(async (tx) => {
        let n = 0
        for (const part of chunks(ids, ID_CHUNK)) {
          n += (await tx.delete(k).where(and(eq(k.group_id, groupId), inArray(k.id, part)))).count
        }
        return n
      })
    },
    async deleteKeysByStatus(groupId, status) {
      return (await db.delete(k).where(and(eq(k.group_id, groupId), status === 'all' ? undefined : eq(k.status, status))))
        .count
    },
    async keysByStatus(status, groupId) {
      const where = and(eq(k.status, status), groupId !== undefined ? eq(k.group_id, groupId) : undefined)
      return (await db.select().from(k).where(where).orderBy(asc(k.id))).map((r) => toApiKey(r, cipher))
    },

    async rewriteKeys(rows, meta) {
      const moves = [...logHashMoves(rows)]
      await client.begin(async (tx) => {
        // arrays through unnest: a few statements for any number of keys, as addKeys does
        for (const part of chunks(rows, KEY_CHUNK)) {
          await tx`UPDATE api_keys SET key_value = v.kv, key_hash = v.kh
            FROM unnest(${part.map((r) => r.id)}::int[], ${part.map((r) => r.key_value)}::text[],
              ${part.map((r) => r.key_hash)}::text[]) AS v(id, kv, kh)
            WHERE api_keys.id = v.id`
        }
        for (const part of chunks(moves, KEY_CHUNK)) {
          await tx`UPDATE request_logs SET key_hash = v.kh
            FROM unnest(${part.map((m) => m[0])}::text[], ${part.map((m) => m[1])}::text[]) AS v(old, kh)
            WHERE request_logs.key_hash = v.old`
        }
        for (const [name, value] of Object.entries(meta)) {
          if (value === null) await tx`DELETE FROM meta WHERE key = ${name}`
          else await tx`INSERT INTO meta (key, value) VALUES (${name}, ${value}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`
        }
      })
    },

    async insertLogs(rows) {
      if (rows.length === 0) return
      await db.transaction(async (tx) => {
        for (const part of chunks(rows, LOG_CHUNK)) await tx.insert(s.requestLogs).values(part.map(({ id: _, ...r }) => r))
      })
    },
    async queryLogs(q) {
      const l = s.requestLogs
      const where = logConditions(l, q)
      const { limit, offset } = pageOffset(q.page, q.page_size)
      const items = await db.select().from(l).where(where).orderBy(desc(l.timestamp), desc(l.id)).limit(limit).offset(offset)
      const total = (await db.select({ n: count() }).from(l).where(where))[0]?.n ?? 0
      return { items, total }
    },
    async deleteLogsBefore(ts) {
      return (await db.delete(s.requestLogs).where(lt(s.requestLogs.timestamp, ts))).count
    },
    async addHourlyStats(rows) {
      const merged = mergeHourlyStats(rows)
      if (merged.length === 0) return
      const h = s.hourlyStats
      await db.transaction(async (tx) => {
        for (const part of chunks(merged, LOG_CHUNK)) {
          await tx.insert(h).values(part).onConflictDoUpdate({
            target: [h.hour, h.group_id, h.access_key_id, h.model],
            set: {
              success_count: sql`${h.success_count} + excluded.success_count`,
              failure_count: sql`${h.failure_count} + excluded.failure_count`,
              prompt_tokens: sql`${h.prompt_tokens} + excluded.prompt_tokens`,
              completion_tokens: sql`${h.completion_tokens} + excluded.completion_tokens`,
              cost_micros: sql`${h.cost_micros} + excluded.cost_micros`,
              cache_hits: sql`${h.cache_hits} + excluded.cache_hits`,
            },
          })
        }
      })
    },
    async requestCountsSince(sinceMs) {
      const r = s.requestLogs
      const rows = await db.select({ group_name: r.group_name, total: count(), failures: sql<string>`sum(case when ${r.is_success} then 0 else 1 end)` })
        .from(r).where(and(gte(r.timestamp, sinceMs), eq(r.request_type, 'final'))).groupBy(r.group_name)
      return rows.map((row) => ({ group_name: row.group_name, total: Number(row.total), failures: Number(row.failures ?? 0) }))
    },
    async insertAlerts(rows) {
      if (rows.length > 0) await db.insert(s.alertHistory).values(rows.map(({ id: _id, ...row }) => row))
    },
    async listAlerts(page, pageSize) {
      const { limit, offset } = pageOffset(page, pageSize)
      const a = s.alertHistory
      const items = await db.select().from(a).orderBy(desc(a.created_at), desc(a.id)).limit(limit).offset(offset)
      const total = (await db.select({ n: count() }).from(a))[0]?.n ?? 0
      return { items, total }
    },
    async deleteAlertsBefore(ts) {
      return (await db.delete(s.alertHistory).where(lt(s.alertHistory.created_at, ts))).count
    },
    async hourlyStats(sinceMs, untilMs, groupId, accessKeyId) {
      const h = s.hourlyStats
      const { id: _, ...cols } = getTableColumns(h)
      return db.select(cols).from(h).where(hourlyWhere(h, sinceMs, untilMs, groupId, accessKeyId))
        .orderBy(asc(h.hour), asc(h.group_id), asc(h.access_key_id), asc(h.model))
    },
    async usageTotals(q) {
      const p = usageTotalsParts(s.hourlyStats, q)
      return db.select(p.fields).from(s.hourlyStats).where(p.where).groupBy(p.groupBy).orderBy(...p.orderBy).limit(q.limit)
    },

    async listModelPrices() {
      return db.select().from(s.modelPrices).orderBy(asc(s.modelPrices.model))
    },
    async replaceModelPrices(rows) {
      const t = now()
      return db.transaction(async (tx) => {
        await tx.delete(s.modelPrices)
        if (rows.length > 0) await tx.insert(s.modelPrices).values(rows.map((r) => ({ ...r, updated_at: t })))
        return tx.select().from(s.modelPrices).orderBy(asc(s.modelPrices.model))
      })
    },
    async seedModelPrices(rows, markerKey, markerValue) {
      const t = now()
      return db.transaction(async (tx) => {
        // two nodes starting together: the marker insert decides which one seeds; the other's insert is a no-op
        const marked = await tx.insert(s.meta).values({ key: markerKey, value: markerValue }).onConflictDoNothing()
          .returning({ key: s.meta.key })
        if (marked.length === 0) return false
        for (const part of chunks(rows, 1000))
          await tx.insert(s.modelPrices).values(part.map((r) => ({ ...r, updated_at: t }))).onConflictDoNothing()
        return true
      })
    },
  }
  return store
}
