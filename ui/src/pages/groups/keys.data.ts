/**
 * The key table's data: one server page at a time (so 100,000 keys cost one page of rows), the group's counts
 * per state, the selection, and optimistic enable/disable with rollback.
 */
import { createResource, createSignal, onCleanup } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { api } from '../../api/client'
import type { KeyStatus, KeyView, Pagination } from '../../api/types'
import { onTaskFinished } from '../../lib/tasks'
import { toastError } from '../../lib/toast'

export type StatusFilter = KeyStatus | 'all'

/** `hasKeys` false (an aggregate group) loads the group's numbers but no key pages. */
export function createKeysData(groupId: () => number, hasKeys: () => boolean = () => true) {
  const [status, setStatus] = createSignal<StatusFilter>('all')
  const [search, setSearch] = createSignal('')
  const [page, setPage] = createSignal(1)
  const [pageSize, setPageSize] = createSignal(50)
  const [selected, setSelected] = createSignal<ReadonlySet<number>>(new Set())
  const [rows, setRows] = createStore<{ items: KeyView[]; pagination?: Pagination }>({ items: [] })

  const query = () =>
    hasKeys() && {
      group_id: groupId(),
      status: status() === 'all' ? undefined : (status() as KeyStatus),
      key_value: search().trim() || undefined,
      page: page(),
      page_size: pageSize(),
    }
  const [list, { refetch: refetchList }] = createResource(query, async (q) => {
    try {
      const data = await api.keys.list(q)
      setRows(reconcile({ items: data.items, pagination: data.pagination }, { key: 'id' }))
      setSelected(new Set<number>())
      return data
    } catch (err) {
      toastError(err)
      return undefined
    }
  })
  const [stats, { refetch: refetchStats }] = createResource(groupId, (id) => api.groups.stats(id).catch(() => undefined))

  const refresh = () => {
    void refetchList()
    void refetchStats()
  }
  onCleanup(onTaskFinished(refresh))

  const filterBy = (next: StatusFilter) => {
    setStatus(next)
    setPage(1)
  }
  const searchFor = (text: string) => {
    setSearch(text)
    setPage(1)
  }
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s)
      if (!next.delete(id)) next.add(id)
      return next
    })
  const toggleAll = () =>
    setSelected((s) => (s.size === rows.items.length ? new Set<number>() : new Set(rows.items.map((k) => k.id))))

  /** Shows the new state at once; puts the old one back if the server refuses. */
  async function setKeyEnabled(key: KeyView, enabled: boolean): Promise<void> {
    const index = rows.items.findIndex((k) => k.id === key.id)
    const before = key.state
    if (index >= 0) setRows('items', index, 'state', enabled ? 'active' : 'disabled')
    try {
      const updated = await api.keys.setStatus(key.id, enabled ? 'active' : 'disabled')
      if (index >= 0) setRows('items', index, updated)
      void refetchStats()
    } catch (err) {
      if (index >= 0) setRows('items', index, 'state', before)
      toastError(err)
    }
  }

  /** Removes rows at once; reloads the page if the server refuses. */
  function dropRows(ids: readonly number[]): void {
    const gone = new Set(ids)
    setRows('items', (items) => items.filter((k) => !gone.has(k.id)))
  }

  return {
    rows,
    loading: () => list.loading,
    stats: () => stats.latest,
    status,
    filterBy,
    search,
    searchFor,
    page,
    setPage,
    pageSize,
    setPageSize: (n: number) => {
      setPageSize(n)
      setPage(1)
    },
    selected,
    toggle,
    toggleAll,
    clearSelection: () => setSelected(new Set<number>()),
    setKeyEnabled,
    dropRows,
    refresh,
  }
}

export type KeysData = ReturnType<typeof createKeysData>
