/** Logs page data: the filter form (applied on submit), one server page of rows, the selected row. */
import { createResource, createSignal } from 'solid-js'
import { createStore } from 'solid-js/store'
import { api } from '../../api/client'
import type { LogQueryParams, LogView } from '../../api/types'
import { toastError } from '../../lib/toast'

export interface LogFilters {
  group_name: string
  /** an access key's id as text; '' = any */
  access_key_id: string
  model: string
  key_value: string
  status_code: string
  is_success: '' | 'true' | 'false'
  source_ip: string
  /** datetime-local values (local time) */
  start: string
  end: string
}

const EMPTY: LogFilters = { group_name: '', access_key_id: '', model: '', key_value: '', status_code: '', is_success: '', source_ip: '', start: '', end: '' }
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined)

export function toQuery(f: LogFilters): LogQueryParams {
  return {
    group_name: f.group_name || undefined,
    access_key_id: f.access_key_id || undefined,
    model: f.model.trim() || undefined,
    key_value: f.key_value.trim() || undefined,
    status_code: f.status_code.trim() || undefined,
    is_success: f.is_success || undefined,
    source_ip: f.source_ip.trim() || undefined,
    start_time: toIso(f.start),
    end_time: toIso(f.end),
  }
}

export function createLogsData() {
  const [draft, setDraft] = createStore<LogFilters>({ ...EMPTY })
  const [applied, setApplied] = createSignal<LogQueryParams>({})
  const [page, setPage] = createSignal(1)
  const [pageSize, setPageSize] = createSignal(50)
  const [selected, setSelected] = createSignal<LogView | null>(null)

  const [logs, { refetch }] = createResource(
    () => ({ ...applied(), page: page(), page_size: pageSize() }),
    (q) => api.logs.list(q).catch((e) => (toastError(e), undefined)),
  )
  const [groups] = createResource(() => api.groups.list().catch(() => []))
  // Names for the filter and the column; rows carry only the key's id. Deleted keys show as their id.
  const [accessKeys] = createResource(() => api.accessKeys.list({ page: 1, page_size: 1000 }).then((p) => p.items).catch(() => []))
  const accessKeyNames = () => new Map((accessKeys() ?? []).map((k) => [k.id, k.name]))

  return {
    draft,
    setDraft,
    apply: () => {
      setApplied(toQuery(draft))
      setPage(1)
    },
    reset: () => {
      setDraft({ ...EMPTY })
      setApplied({})
      setPage(1)
    },
    exportUrl: () => api.logs.exportUrl(applied()),
    logs: () => logs.latest,
    loading: () => logs.loading,
    refetch,
    groups: () => groups() ?? [],
    accessKeys: () => accessKeys() ?? [],
    accessKeyName: (id: number | null) => (id === null ? '' : (accessKeyNames().get(id) ?? `#${id}`)),
    setPage,
    setPageSize: (n: number) => {
      setPageSize(n)
      setPage(1)
    },
    selected,
    setSelected,
  }
}
