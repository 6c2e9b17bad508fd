/**
 * Pins the admin response shapes the UI and GPT-Load scripts rely on. The expectTypeOf lines are checked by
 * `tsc --noEmit` (`bun run typecheck`): a changed shape fails the typecheck, not `bun test`.
 */
import { describe, expect, expectTypeOf, test } from 'bun:test'
import type {
  AddKeysResult, DashboardStats, Envelope, GroupStats, GroupView, KeyView, LogView, PagedOf, SettingsCategory, TaskStatus,
} from '../../server/admin/schemas'
import { ok, paged } from '../../server/admin/envelope'

describe('admin response types', () => {
  test('envelope and pagination', () => {
    expectTypeOf(ok(1)).toEqualTypeOf<Envelope<number>>()
    expectTypeOf<Envelope<string>>().toEqualTypeOf<{ code: 0; message: string; data: string }>()
    expectTypeOf(paged<KeyView>([], 0, 1, 20)).toEqualTypeOf<PagedOf<KeyView>>()
    expectTypeOf<PagedOf<LogView>['pagination']>().toEqualTypeOf<{ page: number; page_size: number; total_items: number; total_pages: number }>()
    expect(ok(1)).toEqual({ code: 0, message: 'Success', data: 1 })
  })

  test("GPT-Load's task status shape", () => {
    expectTypeOf<TaskStatus>().toEqualTypeOf<{
      task_type: 'KEY_IMPORT' | 'KEY_DELETE' | 'KEY_VALIDATION' | ''
      is_running: boolean
      group_name: string
      processed: number
      total: number
      result: unknown
      error: string
      started_at: string | null
      finished_at: string | null
      duration_seconds: number
    }>()
  })

  test('keys, groups, stats, settings', () => {
    expectTypeOf<KeyView['state']>().toEqualTypeOf<'active' | 'cooling' | 'invalid' | 'disabled' | 'paced'>()
    expectTypeOf<KeyView['paced_until']>().toEqualTypeOf<number | null>()
    expectTypeOf<KeyView['status']>().toEqualTypeOf<'active' | 'invalid'>()
    expectTypeOf<KeyView>().not.toHaveProperty('key_hash')
    expectTypeOf<AddKeysResult>().toEqualTypeOf<{ added_count: number; ignored_count: number; total_in_group: number }>()
    expectTypeOf<GroupView['channel_type']>().toEqualTypeOf<'openai' | 'openai-response' | 'anthropic' | 'gemini'>()
    expectTypeOf<GroupView['upstreams']>().toEqualTypeOf<{ url: string; weight: number }[]>()
    expectTypeOf<GroupView['endpoint']>().toEqualTypeOf<string>()
    expectTypeOf<GroupStats['stats_24_hour']>().toEqualTypeOf<{ total_requests: number; failed_requests: number; failure_rate: number }>()
    expectTypeOf<DashboardStats['keys']>().toEqualTypeOf<{ active: number; cooling: number; invalid: number; disabled: number }>()
    expectTypeOf<DashboardStats['rpm']['value']>().toEqualTypeOf<number>()
    expectTypeOf<SettingsCategory['settings'][number]['value']>().toEqualTypeOf<string | number | boolean>()
    expectTypeOf<LogView['key_value']>().toEqualTypeOf<string>()
  })
})
