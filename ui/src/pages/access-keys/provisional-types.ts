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
  usage: { period: BudgetPeriod; period_start: number; period_end: number | null; tokens: number; cost_usd: number }
}
export interface UsageBucket {
  time: number
  requests: number
  prompt_tokens: number
  completion_tokens: number
  cost_usd: number
}
export interface AccessKeyUsage {
  id: number
  interval: 'hour' | 'day'
  start_time: number
  end_time: number
  buckets: UsageBucket[]
}
