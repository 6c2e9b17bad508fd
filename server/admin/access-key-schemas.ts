/** The shapes of `/api/access-keys` and `/api/integration/info`, declared once (validation, OpenAPI, UI client). */
import { t, type Static } from 'elysia'
import { BUDGET_PERIODS } from '../../db/domain'
import { literalUnion as lit } from '../shared/literal-union'
import { PageQuery } from './schemas'

export const BudgetPeriodSchema = lit(BUDGET_PERIODS)

const limit = (description: string) => t.Integer({ minimum: 0, maximum: 2_147_483_647, description })

const fields = {
  enabled: t.Boolean(),
  expires_at: t.Union([t.Integer({ minimum: 0, description: 'epoch ms' }), t.Null()], { description: 'epoch ms; null = never' }),
  groups: t.Array(t.String({ minLength: 1, maxLength: 100 }), { maxItems: 1000, description: 'group names; empty = every group' }),
  models: t.Array(t.String({ minLength: 1, maxLength: 200 }), { maxItems: 1000, description: 'model globs (`gpt-4o*`); empty = every model' }),
  ip_allowlist: t.Array(t.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000, description: 'CIDRs; empty = any address' }),
  rpm_limit: limit('requests per minute (sliding 60 s); 0 = none'),
  tpm_limit: limit('prompt + completion tokens of answers finished in the last 60 s; 0 = none'),
  max_concurrency: limit('requests in flight; 0 = none'),
  token_budget: t.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'tokens per budget period; 0 = none' }),
  cost_budget_usd: t.Number({ minimum: 0, maximum: 1e12, description: 'USD per budget period; 0 = none' }),
  budget_period: BudgetPeriodSchema,
  notes: t.String({ maxLength: 2000 }),
}

const name = t.String({ minLength: 1, maxLength: 100 })

export const AccessKeyCreate = t.Composite([t.Object({ name }), t.Partial(t.Object(fields))])

export const AccessKeyUpdate = t.Partial(t.Object({ name, ...fields }))

export const PeriodUsage = t.Object({
  period: BudgetPeriodSchema,
  period_start: t.Integer({ description: 'epoch ms' }),
  period_end: t.Union([t.Integer(), t.Null()], { description: 'epoch ms; null for a total budget' }),
  tokens: t.Integer(),
  cost_usd: t.Number(),
})

export const AccessKeyView = t.Object({
  id: t.Integer(),
  name: t.String(),
  key_prefix: t.String({ description: 'the first 8 characters of the secret' }),
  ...fields,
  created_at: t.Integer(),
  updated_at: t.Integer(),
  last_used_at: t.Union([t.Integer(), t.Null()]),
  usage: PeriodUsage,
})

export const AccessKeyCreated = t.Composite([AccessKeyView, t.Object({ key: t.String({ description: 'the secret: shown this once only' }) })])

export const AccessKeyListQuery = t.Object({ ...PageQuery, name: t.Optional(t.String({ description: 'part of the name' })) })

export const UsageQuery = t.Object({
  start_time: t.Optional(t.Numeric({ description: 'epoch ms (default: 24 h ago)' })),
  end_time: t.Optional(t.Numeric({ description: 'epoch ms (default: now)' })),
  interval: t.Optional(lit(['hour', 'day'] as const)),
})

export const UsageBucket = t.Object({
  time: t.Integer({ description: 'epoch ms at the start of the bucket' }),
  requests: t.Integer(),
  prompt_tokens: t.Integer(),
  completion_tokens: t.Integer(),
  cost_usd: t.Number(),
})

export const AccessKeyUsage = t.Object({
  id: t.Integer(),
  interval: lit(['hour', 'day'] as const),
  start_time: t.Integer(),
  end_time: t.Integer(),
  buckets: t.Array(UsageBucket),
})

export type AccessKeyCreate = Static<typeof AccessKeyCreate>
export type AccessKeyUpdate = Static<typeof AccessKeyUpdate>
export type AccessKeyView = Static<typeof AccessKeyView>
export type AccessKeyCreated = Static<typeof AccessKeyCreated>
export type UsageBucket = Static<typeof UsageBucket>

// ---- /api/integration/info ----------------------------------------------------------------------------------------

export const IntegrationGroup = t.Object({
  name: t.String(),
  display_name: t.String(),
  channel_type: t.String(),
  path: t.String({ description: 'the base path of the group on the proxy: /proxy/{name}' }),
})

export const AccessKeyInfo = t.Object({
  name: t.String(),
  key_prefix: t.String(),
  expires_at: t.Union([t.Integer(), t.Null()]),
  limits: t.Object({
    rpm_limit: t.Integer(),
    tpm_limit: t.Integer(),
    max_concurrency: t.Integer(),
    token_budget: t.Integer(),
    cost_budget_usd: t.Number(),
    budget_period: BudgetPeriodSchema,
  }),
  usage: PeriodUsage,
  groups: t.Array(IntegrationGroup),
  models: t.Array(t.String(), { description: 'model globs it may use; empty = every model' }),
})

/** A proxy key gets the groups it may use (GPT-Load's answer); an access key its own view. */
export const IntegrationInfo = t.Union([t.Array(IntegrationGroup), AccessKeyInfo])
export const IntegrationQuery = t.Object({ key: t.Optional(t.String({ description: 'the key, when not sent as Bearer' })) })

export type IntegrationGroup = Static<typeof IntegrationGroup>
