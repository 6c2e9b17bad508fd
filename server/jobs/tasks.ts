/**
 * Long admin jobs (key imports, deletes, group validations) run one at a time in the background and report
 * through `GET /api/tasks/status` in GPT-Load's shape. Starting a second one while one runs is a 409.
 * State is per process: in a cluster each node reports the jobs it runs.
 */
import type { Clock } from '../shared/clock'
import { conflict } from '../shared/errors'
import { log } from '../shared/logger'
import type { TaskStatus, TaskType } from './task-status'

export type { TaskStatus, TaskType } from './task-status'


export interface TaskProgress {
  setTotal(total: number): void
  /** add to the processed count */
  advance(n: number): void
}


interface TaskState {
  type: TaskType
  groupName: string
  processed: number
  total: number
  result: unknown
  error: string
  startedAt: number
  finishedAt: number | null
}

export class TaskRunner {
  private current: TaskState | null = null
  private running: Promise<void> | null = null

  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  isRunning(): boolean {
    return this.running !== null
  }

  /**
   * Start `work` in the background; returns the status at once. Throws CONFLICT while another task runs.
   * `work` returns the task's result (shown in `result`); a throw is shown in `error` with its message only.
   */
  start(type: TaskType, groupName: string, total: number, work: (p: TaskProgress) => Promise<unknown>): TaskStatus {
    if (this.running) {
      const c = this.current!
      throw conflict(`a ${c.type} task is already running for group ${c.groupName} (${c.processed}/${c.total})`)
    }
    const state: TaskState = {
      type, groupName, processed: 0, total, result: null, error: '', startedAt: this.clock.now(), finishedAt: null,
    }
    this.current = state
    const progress: TaskProgress = {
      setTotal: (n) => void (state.total = n),
      advance: (n) => void (state.processed = Math.min(state.total, state.processed + n)),
    }
    this.running = (async () => {
      try {
        state.result = await work(progress)
        state.processed = state.total
      } catch (err) {
        state.error = err instanceof Error ? err.message : String(err)
        log.warn('task failed', { task: type, group: groupName, error: state.error })
      } finally {
        state.finishedAt = this.clock.now()
        this.running = null
      }
    })()
    return this.status()
  }

  status(): TaskStatus {
    const s = this.current
    if (!s) {
      return {
        task_type: '', is_running: false, group_name: '', processed: 0, total: 0, result: null, error: '',
        started_at: null, finished_at: null, duration_seconds: 0,
      }
    }
    const end = s.finishedAt ?? this.clock.now()
    return {
      task_type: s.type,
      is_running: s.finishedAt === null,
      group_name: s.groupName,
      processed: s.processed,
      total: s.total,
      result: s.result,
      error: s.error,
      started_at: new Date(s.startedAt).toISOString(),
      finished_at: s.finishedAt === null ? null : new Date(s.finishedAt).toISOString(),
      duration_seconds: Math.round((end - s.startedAt) / 10) / 100,
    }
  }

  /** Resolves when the running task (if any) has finished: shutdown and tests. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }
}
