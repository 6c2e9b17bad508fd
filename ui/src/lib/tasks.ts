/**
 * The server's long-running task (import, delete, validation) polled while it runs, so any page can show its
 * progress and react when it ends. Only one task runs at a time on the server.
 */
import { createSignal } from 'solid-js'
import { api } from '../api/client'
import type { TaskStatus } from '../api/types'
import { t, tDynamic } from '../i18n'
import { fmtInt } from './format'
import { toast } from './toast'

const [task, setTask] = createSignal<TaskStatus | null>(null)
export { task }
type Listener = (finished: TaskStatus) => void
const listeners = new Set<Listener>()
let polling = false

/** Called after starting a task (or once at start-up to pick up one already running). */
export async function watchTask(initial?: TaskStatus): Promise<void> {
  if (initial) setTask(initial)
  if (polling) return
  polling = true
  try {
    for (;;) {
      let status: TaskStatus
      try {
        status = await api.tasks.status()
      } catch {
        break
      }
      setTask(status)
      if (!status.is_running) {
        if (status.task_type) finish(status)
        break
      }
      await new Promise((r) => setTimeout(r, 700))
    }
  } finally {
    polling = false
  }
}

/** What the finished task did, from its `result` (shapes of server/admin/keys-service.ts); null when unknown. */
export function taskSummary(status: TaskStatus): string | null {
  const r = (status.result ?? {}) as Record<string, unknown>
  const n = (key: string) => (typeof r[key] === 'number' ? fmtInt(r[key] as number) : null)
  if (status.task_type === 'KEY_VALIDATION' && n('valid') !== null) {
    const counts = { valid: n('valid')!, invalid: n('invalid') ?? '0', unknown: n('unchanged') ?? '0' }
    return t(r.unchanged ? 'task.doneValidationUndecided' : 'task.doneValidation', counts)
  }
  if (status.task_type === 'KEY_IMPORT' && n('added_count') !== null)
    return t('task.doneImport', { added: n('added_count')!, ignored: n('ignored_count') ?? '0', total: n('total_in_group') ?? '?' })
  if (status.task_type === 'KEY_DELETE' && n('deleted_count') !== null) return t('task.doneDelete', { n: n('deleted_count')! })
  return null
}

function finish(status: TaskStatus): void {
  const name = tDynamic(`task.${status.task_type}`, status.task_type)
  if (status.error) toast('error', t('task.failed', { task: name, error: status.error }))
  else toast('success', taskSummary(status) ?? t('task.finished', { task: name }))
  for (const l of listeners) l(status)
  setTimeout(() => !task()?.is_running && setTask(null), 2500)
}

/** Runs `fn` whenever a task finishes (refresh a key table); returns the unsubscribe function. */
export function onTaskFinished(fn: Listener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}
