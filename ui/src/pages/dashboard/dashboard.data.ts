/** Dashboard data: stats and the hourly chart, refreshed every 10 s while the tab is visible. */
import { createResource, createSignal, onCleanup } from 'solid-js'
import { api } from '../../api/client'
import { toastError } from '../../lib/toast'

const REFRESH_MS = 10_000

export function createDashboardData() {
  const [groupId, setGroupId] = createSignal<number | undefined>(undefined)
  const [stats, { refetch: refetchStats }] = createResource(() => api.dashboard.stats().catch(onError))
  // The source is an object so "all groups" (undefined) still fetches.
  const [chart, { refetch: refetchChart }] = createResource(
    () => ({ id: groupId() }),
    ({ id }) => api.dashboard.chart(id).catch(onError),
  )
  const [groups] = createResource(() => api.groups.list().catch(() => []))

  // Only the first failure of a streak is shown, so a server restart does not flood the screen with toasts.
  let failing = false
  function onError(err: unknown): undefined {
    if (!failing) toastError(err)
    failing = true
    return undefined
  }
  const refresh = () => {
    if (document.visibilityState !== 'visible') return
    failing = false
    void refetchStats()
    void refetchChart()
  }
  const timer = setInterval(refresh, REFRESH_MS)
  onCleanup(() => clearInterval(timer))

  return {
    stats: () => stats.latest,
    chart: () => chart.latest,
    groups: () => groups() ?? [],
    groupId,
    setGroupId,
    refresh,
  }
}
