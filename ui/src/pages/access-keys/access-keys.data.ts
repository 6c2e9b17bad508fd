/**
 * Access keys page data: one server page of keys (each with its usage this period), optimistic enable/disable
 * with rollback, and the secret of a key just created or rotated (held only until its dialog closes).
 */
import { createResource, createSignal } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { api } from '../../api/client'
import type { AccessKeyView, Pagination } from '../../api/types'
import { t } from '../../i18n'
import { confirmAction } from '../../lib/confirm'
import { attempt, toast, toastError } from '../../lib/toast'

export interface ShownSecret {
  name: string
  key: string
}

export function createAccessKeysData() {
  const [page, setPage] = createSignal(1)
  const [pageSize, setPageSize] = createSignal(50)
  const [search, setSearch] = createSignal('')
  const [rows, setRows] = createStore<{ items: AccessKeyView[]; pagination?: Pagination }>({ items: [] })
  const [secret, setSecret] = createSignal<ShownSecret | null>(null)

  const [list, { refetch }] = createResource(
    () => ({ page: page(), page_size: pageSize(), name: search().trim() || undefined }),
    async (q) => {
      try {
        const data = await api.accessKeys.list(q)
        setRows(reconcile({ items: data.items, pagination: data.pagination }, { key: 'id' }))
        return data
      } catch (err) {
        toastError(err)
        return undefined
      }
    },
  )
  const [groups] = createResource(() => api.groups.list().catch(() => []))

  const patchRow = (id: number, patch: Partial<AccessKeyView>) => setRows('items', (k) => k.id === id, patch)

  /** Enabled is shown changed at once and put back if the server refuses. */
  async function setEnabled(key: AccessKeyView, enabled: boolean): Promise<void> {
    patchRow(key.id, { enabled })
    const saved = await attempt(() => api.accessKeys.update(key.id, { enabled }), () =>
      t(enabled ? 'ak.enabledToast' : 'ak.disabledToast', { name: key.name }),
    )
    if (saved) patchRow(key.id, saved)
    else patchRow(key.id, { enabled: !enabled })
  }

  async function rotate(key: AccessKeyView): Promise<void> {
    if (!(await confirmAction(t('ak.rotateConfirm', { name: key.name })))) return
    const rotated = await attempt(() => api.accessKeys.rotate(key.id))
    if (!rotated) return
    setSecret({ name: key.name, key: rotated.key })
    void refetch()
  }

  /** The row leaves the table at once and comes back if the delete fails. */
  async function remove(key: AccessKeyView): Promise<void> {
    if (!(await confirmAction(t('ak.deleteConfirm', { name: key.name })))) return
    const before = rows.items
    setRows('items', (items) => items.filter((k) => k.id !== key.id))
    const done = await attempt(() => api.accessKeys.remove(key.id), t('ak.deleted'))
    if (done === undefined) setRows('items', before)
    void refetch()
  }

  function created(key: AccessKeyView & { key: string }): void {
    toast('success', t('ak.created'))
    setSecret({ name: key.name, key: key.key })
    void refetch()
  }

  return {
    rows,
    loading: () => list.loading,
    refetch,
    groups: () => groups() ?? [],
    setPage,
    search,
    /** part of a name, asked of the server */
    searchFor: (text: string) => {
      setSearch(text)
      setPage(1)
    },
    setPageSize: (n: number) => {
      setPageSize(n)
      setPage(1)
    },
    setEnabled,
    rotate,
    remove,
    created,
    saved: (key: AccessKeyView) => {
      patchRow(key.id, key)
      toast('success', t('ak.saved'))
    },
    secret,
    closeSecret: () => setSecret(null),
  }
}

export type AccessKeysData = ReturnType<typeof createAccessKeysData>
