/**
 * The shape `GET /api/tasks/status` answers with (GPT-Load's), declared once: the task runner returns it and the
 * admin API's response schema is this same TypeBox object.
 */
import { t, type Static } from 'elysia'
import { literalUnion } from '../shared/literal-union'

export const TASK_TYPES = ['KEY_IMPORT', 'KEY_DELETE', 'KEY_VALIDATION'] as const
export const TaskTypeSchema = literalUnion(TASK_TYPES)
export type TaskType = Static<typeof TaskTypeSchema>

export const TaskStatus = t.Object({
  task_type: t.Union([TaskTypeSchema, t.Literal('')]),
  is_running: t.Boolean(),
  group_name: t.String(),
  processed: t.Integer(),
  total: t.Integer(),
  result: t.Unknown(),
  error: t.String(),
  started_at: t.Nullable(t.String()),
  finished_at: t.Nullable(t.String()),
  duration_seconds: t.Number(),
})
export type TaskStatus = Static<typeof TaskStatus>
