/**
 * Leader-only background jobs: re-validating `invalid` keys every `key_validation_interval_minutes` (per group,
 * group > system) and deleting request logs (and the alert history) older than `request_log_retention_days`. They run only while this
 * node holds the leadership; a node that loses it stops at the next tick.
 */
import type { ApiKey } from '../../db/types'
import type { Leader } from './leader'
import type { JobDeps } from './deps'
import { log } from '../shared/logger'
import { mapLimit } from '../shared/map-limit'
import { validateKey } from './key-validator'

const TICK_MS = 30_000
const RETENTION_EVERY_MS = 3_600_000

export interface JobsHandle {
  /** run one round now (tests, SIGHUP) */
  runOnce(): Promise<void>
  stop(): void
}

export function startJobs(deps: JobDeps, leader: Leader, tickMs = TICK_MS): JobsHandle {
  const lastValidation = new Map<number, number>()
  let lastRetention = 0
  let running: Promise<void> | null = null
  let stopped = false

  async function round(force: boolean): Promise<void> {
    if (!leader.isLeader()) return
    const now = deps.clock.now()
    if (force || now - lastRetention >= RETENTION_EVERY_MS) {
      lastRetention = now
      const days = deps.settings.get().request_log_retention_days
      if (days > 0) {
        const removed = await deps.store.deleteLogsBefore(now - days * 86_400_000)
        if (removed > 0) log.info('request log retention', { removed, days })
        // the alert history is kept as long as the request logs
        await deps.store.deleteAlertsBefore(now - days * 86_400_000)
      }
    }
    for (const group of deps.groups.all()) {
      if (stopped || !leader.isLeader()) return
      if (group.group_type === 'aggregate') continue
      const s = deps.settings.forGroup(group.config)
      const due = (lastValidation.get(group.id) ?? now) + s.key_validation_interval_minutes * 60_000
      if (!lastValidation.has(group.id)) lastValidation.set(group.id, now)
      if (!force && now < due) continue
      lastValidation.set(group.id, now)
      const invalid = await deps.store.keysByStatus('invalid', group.id)
      if (invalid.length === 0) continue
      const restored = await revalidate(deps, group.id, invalid, s.key_validation_concurrency)
      if (restored.length > 0) {
        await deps.pool.setStatus(group.id, restored, 'active')
        deps.groups.keysChanged(group.id)
        log.info('invalid keys restored by validation', { group: group.name, restored: restored.length, tested: invalid.length })
      }
    }
  }

  const run = (force: boolean) => {
    if (!running)
      running = round(force)
        .catch((err) => log.error('background job failed', { error: String(err) }))
        .finally(() => {
          running = null
        })
    return running
  }
  const timer = setInterval(() => void run(false), tickMs)
  timer.unref?.()
  return {
    runOnce: () => run(true),
    stop() {
      stopped = true
      clearInterval(timer)
    },
  }
}

async function revalidate(deps: JobDeps, groupId: number, keys: ApiKey[], concurrency: number): Promise<number[]> {
  const group = deps.groups.byId(groupId)
  if (!group) return []
  const ok = await mapLimit(keys, concurrency, (key) => validateKey(group, key.key_value, deps).then((r) => r.ok, () => false))
  return keys.filter((_, i) => ok[i]).map((k) => k.id)
}
