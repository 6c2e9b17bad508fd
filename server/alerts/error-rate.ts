/**
 * The error-rate check the leader runs: from the request log rows every node writes to the shared store, each
 * group's final requests of the last `alert_window_minutes`; a group with at least `alert_min_requests` of them
 * and more than `alert_error_rate_percent` failed raises `error_rate`. Rows reach the store at each log flush
 * (`request_log_write_interval_minutes`), so the check sees the cluster as of the last flush.
 */
import type { Store } from '../../db/types'
import type { SettingsService } from '../config/settings'
import { errorRate } from './events'
import type { AlertInput } from './types'

export async function checkErrorRates(
  deps: { store: Pick<Store, 'requestCountsSince'>; settings: SettingsService },
  now: number,
): Promise<AlertInput[]> {
  const s = deps.settings.get()
  const counts = await deps.store.requestCountsSince(now - s.alert_window_minutes * 60_000)
  const out: AlertInput[] = []
  for (const c of counts) {
    if (c.group_name === '' || c.total < s.alert_min_requests) continue
    const percent = (c.failures * 100) / c.total
    if (percent <= s.alert_error_rate_percent) continue
    out.push(
      errorRate({
        group: c.group_name,
        total: c.total,
        failures: c.failures,
        percent,
        threshold_percent: s.alert_error_rate_percent,
        window_minutes: s.alert_window_minutes,
      }),
    )
  }
  return out
}
