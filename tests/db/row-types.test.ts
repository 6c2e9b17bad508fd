/**
 * The row types are inferred from the SQLite tables; the PostgreSQL tables must infer exactly the same rows, and
 * the closed columns carry the domain's tuples. Checked by `tsc --noEmit` (tests/project/typecheck.test.ts);
 * the runtime half checks the tuples the columns were built from.
 */
import { describe, expect, expectTypeOf, test } from 'bun:test'
import { getTableColumns } from 'drizzle-orm'
import { REQUEST_TYPES, type ChannelType, type GroupType, type KeyStatus, type RequestType } from '../../db/domain'
import * as pg from '../../db/schema/pg'
import * as sqlite from '../../db/schema/sqlite'
import type { ApiKey, Group, HourlyStat, RequestLog } from '../../db/types'

describe('row types', () => {
  test('both dialects infer the same rows', () => {
    expectTypeOf<typeof pg.groups.$inferSelect>().toEqualTypeOf<typeof sqlite.groups.$inferSelect>()
    expectTypeOf<typeof pg.apiKeys.$inferSelect>().toEqualTypeOf<typeof sqlite.apiKeys.$inferSelect>()
    expectTypeOf<typeof pg.requestLogs.$inferSelect>().toEqualTypeOf<typeof sqlite.requestLogs.$inferSelect>()
    expectTypeOf<typeof pg.hourlyStats.$inferSelect>().toEqualTypeOf<typeof sqlite.hourlyStats.$inferSelect>()
    expectTypeOf<typeof pg.accessKeys.$inferSelect>().toEqualTypeOf<typeof sqlite.accessKeys.$inferSelect>()
    expect(Object.keys(getTableColumns(pg.accessKeys)).sort()).toEqual(Object.keys(getTableColumns(sqlite.accessKeys)).sort())
    expect(Object.keys(getTableColumns(pg.groups)).sort()).toEqual(Object.keys(getTableColumns(sqlite.groups)).sort())
    expect(Object.keys(getTableColumns(pg.requestLogs)).sort()).toEqual(Object.keys(getTableColumns(sqlite.requestLogs)).sort())
  })

  test('closed columns are typed with the domain tuples', () => {
    expectTypeOf<Group['channel_type']>().toEqualTypeOf<ChannelType>()
    expectTypeOf<Group['group_type']>().toEqualTypeOf<GroupType>()
    expectTypeOf<ApiKey['status']>().toEqualTypeOf<KeyStatus>()
    expectTypeOf<RequestLog['request_type']>().toEqualTypeOf<RequestType>()
    expectTypeOf<HourlyStat>().not.toHaveProperty('id')
    expect(sqlite.requestLogs.request_type.enumValues).toEqual([...REQUEST_TYPES])
    expect(pg.requestLogs.request_type.enumValues).toEqual([...REQUEST_TYPES])
  })
})
