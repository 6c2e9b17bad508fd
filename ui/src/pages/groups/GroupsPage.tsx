/** Groups & keys: the ordered group list on the left, the selected group (from the URL) on the right. */
import { useNavigate, useParams } from '@solidjs/router'
import { createMemo, createResource, createSignal, Match, Show, Switch } from 'solid-js'
import { api } from '../../api/client'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { confirmAction } from '../../lib/confirm'
import { attempt, toastError } from '../../lib/toast'
import { CopyGroupDialog } from './CopyGroupDialog'
import { GroupDetail } from './GroupDetail'
import { GroupForm } from './GroupForm'
import { GroupList } from './GroupList'

type Dialog = { kind: 'create' } | { kind: 'edit'; group: GroupView } | { kind: 'copy'; group: GroupView } | null

export default function GroupsPage() {
  const params = useParams<{ id?: string }>()
  const navigate = useNavigate()
  const [groups, { mutate, refetch }] = createResource(() => api.groups.list().catch((e) => (toastError(e), [] as GroupView[])))
  const [channelTypes] = createResource(() => api.channelTypes().catch(() => []))
  const [settings] = createResource(() => api.settings.list().catch(() => []))
  const [dialog, setDialog] = createSignal<Dialog>(null)

  const list = () => groups.latest ?? []
  const selected = createMemo(() => {
    const id = Number(params.id)
    return list().find((g) => g.id === id) ?? (params.id ? undefined : list()[0])
  })
  const select = (id: number) => navigate(`/groups/${id}`)

  const reorder = async (ordered: GroupView[]) => {
    const previous = list()
    mutate(ordered) // optimistic: the list moves at once
    const done = await attempt(() => api.groups.reorder(ordered.map((g, i) => ({ id: g.id, sort: i + 1 }))), t('groups.reordered'))
    if (done === undefined) mutate(previous)
  }

  const remove = async (g: GroupView) => {
    if (!(await confirmAction(t('groups.deleteConfirm', { name: g.name })))) return
    const done = await attempt(() => api.groups.remove(g.id), t('groups.deleted'))
    if (done !== undefined) {
      await refetch()
      navigate('/groups')
    }
  }

  const saved = async (g: GroupView) => {
    setDialog(null)
    await refetch()
    select(g.id)
  }

  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('groups.title')}</h1>
        <span class="spacer" />
        <button class="btn primary" onClick={() => setDialog({ kind: 'create' })} data-testid="group-new">
          <Icon name="plus" size={16} />
          {t('groups.new')}
        </button>
      </div>
      <div class="groups-layout">
        <GroupList groups={list()} selectedId={selected()?.id} onSelect={select} onReorder={reorder} />
        {/* keyed on the id: a refetched group object updates the detail in place instead of rebuilding it */}
        <Show when={selected()?.id} fallback={<div class="card empty">{list().length ? t('groups.select') : t('groups.empty')}</div>} keyed>
          {(_id) => (
            <GroupDetail
              group={selected()!}
              groups={list()}
              onSelect={select}
              onEdit={() => setDialog({ kind: 'edit', group: selected()! })}
              onCopy={() => setDialog({ kind: 'copy', group: selected()! })}
              onDelete={() => remove(selected()!)}
            />
          )}
        </Show>
      </div>
      <Switch>
        <Match when={dialog()?.kind === 'create' || dialog()?.kind === 'edit'}>
          <GroupForm
            group={(dialog() as { group?: GroupView }).group}
            channelTypes={channelTypes() ?? []}
            groups={list()}
            settings={(settings() ?? []).flatMap((c) => c.settings)}
            onClose={() => setDialog(null)}
            onSaved={saved}
          />
        </Match>
        <Match when={dialog()?.kind === 'copy' && (dialog() as { group: GroupView }).group}>
          {(g) => <CopyGroupDialog group={g()} onClose={() => setDialog(null)} onCopied={saved} />}
        </Match>
      </Switch>
    </div>
  )
}
