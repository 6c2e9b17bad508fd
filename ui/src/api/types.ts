/**
 * The admin API's shapes, taken from the server's TypeBox schemas (type-only: nothing server-side is bundled).
 */
export type {
  AddKeysResult,
  ChannelTypeInfo,
  ChartData,
  CopyBody,
  DeleteKeysResult,
  RestoreKeysResult,
  DashboardStats,
  GroupInput,
  GroupStats,
  GroupView,
  KeyListQuery,
  KeySelectionBody,
  KeyTestResults,
  KeyView,
  LogQueryParams,
  LogView,
  PagedOf,
  Pagination,
  RevealedKey,
  SettingItem,
  SettingsCategory,
  StatCard,
  SubGroupView,
  TaskStatus,
} from '../../../server/admin/schemas'
export type { KeyStatus } from '../../../db/types'
export type { AlertHistoryItem } from '../../../server/admin/alert-schemas'
export type { AlertEventName, AlertFormat, AlertWebhook } from '../../../server/config/alert-webhooks'
export type { AccessKeyCreate, AccessKeyCreated, AccessKeyUpdate, AccessKeyView, UsageBucket } from '../../../server/admin/access-key-schemas'
export type { BudgetPeriod } from '../../../db/types'
export type { ModelPriceInput, ModelPriceList, ModelPriceView, TopItem, TopList } from '../../../server/admin/pricing-schemas'
