/** Placeholder shapes until the server's access-key routes are merged (then these come from the server schemas). */
export type BudgetPeriod = 'day' | 'week' | 'month' | 'total'
export interface AccessKeyInput {
  name: string
  enabled: boolean
  expires_at: number | null
  groups: string[]
  models: string[]
  ip_allowlist: string[]
  rpm_limit: number
  tpm_limit: number
  max_concurrency: number
  token_budget: number
  cost_budget_usd: number
  budget_period: BudgetPeriod
  notes: string
}
export interface AccessKeyView extends AccessKeyInput {
  id: number
  key_prefix: string
  created_at: number
  updated_at: number
  last_used_at: number | null
  usage: { requests: number; tokens: number; cost_usd: number }
}
export interface AccessKeyUsagePoint {
  time: number
  requests: number
  prompt_tokens: number
  completion_tokens: number
  cost_usd: number
}
export interface AccessKeyUsage {
  points: AccessKeyUsagePoint[]
}
export interface ModelPriceInput {
  model: string
  input_per_mtok: number
  output_per_mtok: number
  cached_input_per_mtok: number
  cache_write_per_mtok: number
}
export interface ModelPriceView extends ModelPriceInput {
  id: number
  updated_at: number
}
