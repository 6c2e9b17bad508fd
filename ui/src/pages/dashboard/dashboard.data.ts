/** Dashboard data: stats, the hourly chart, cost and the top lists, refreshed every 10 s while the tab is visible. */
import { createEffect, createResource, createSignal, onCleanup } from 'solid-js'
import { api } from '../../api/client'
import { t } from '../../i18n'
import { toastError } from '../../lib/toast'
import type { TopEntry } from './TopList'

const REFRESH_MS = 10_000

export function createDashboardData() {
  const [groupId, setGroupId] = createSignal<number | undefined>(undefined)
  const [stats, { refetch: refetchStats }] = createResource(() => api.dashboard.stats().catch(onError))
  // The source is an object so "all groups" (undefined) still fetches.
  const [chart, { refetch: refetchChart }] = createResource(
    () => ({ id: groupId() }),
    ({ id }) => api.dashboard.chart({ group_id: id }).catch(onError),
  )
  const [groups] = createResource(() => api.groups.list().catch(() => []))
  const [cost, { refetch: refetchCost }] = createResource(() => api.dashboard.chart({ metric: 'cost' }).catch(onError))
  const [topKeys, { refetch: refetchTopKeys }] = createResource(() => api.dashboard.top({ by: 'access_key' }).catch(onError))
  const [topModels, { refetch: refetchTopModels }] = createResource(() => api.dashboard.top({ by: 'model' }).catch(onError))
  // Names for the top keys (the list carries ids). Listing keys reads each one's live usage, so it is fetched
  // again only when the top list names a key it does not know (one made since).
  const [accessKeys, { refetch: refetchAccessKeys }] = createResource(() =>
    api.accessKeys.list({ page: 1, page_size: 1000 }).then((p) => p.items).catch(() => []),
  )
  // A deleted key stays unknown: each id is looked up once, so that never loops.
  const lookedUp = new Set<number>()
  createEffect(() => {
    const known = accessKeys.latest
    if (!known || accessKeys.loading) return
    const missing = (topKeys.latest?.items ?? [])
      .map((i) => i.access_key_id)
      .filter((id): id is number => id !== null && !lookedUp.has(id) && !known.some((k) => k.id === id))
    if (missing.length === 0) return
    missing.forEach((id) => lookedUp.add(id))
    void refetchAccessKeys()
  })
  const keyName = (id: number | null) => (id === null ? t('logs.viaProxyKey') : (accessKeys.latest?.find((k) => k.id === id)?.name ?? `#${id}`))

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
    void refetchCost()
    void refetchTopKeys()
    void refetchTopModels()
  }
  const timer = setInterval(refresh, REFRESH_MS)
  onCleanup(() => clearInterval(timer))

  return {
    stats: () => stats.latest,
    chart: () => chart.latest,
    cost: () => cost.latest,
    topKeys: (): TopEntry[] | undefined =>
      topKeys.latest?.items.map((i) => ({ name: keyName(i.access_key_id), requests: i.requests, cost_micros: i.cost_micros, muted: i.access_key_id === null })),
    topModels: (): TopEntry[] | undefined =>
      topModels.latest?.items.map((i) => ({ name: i.model || '—', requests: i.requests, cost_micros: i.cost_micros })),
    groups: () => groups() ?? [],
    groupId,
    setGroupId,
    refresh,
  }
}
