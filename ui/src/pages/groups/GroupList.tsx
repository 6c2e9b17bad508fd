/** The group list; rows are dragged to a new place with native HTML5 drag and drop, then the order is saved. */
import { createSignal, For, Show } from 'solid-js'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'

export function GroupList(props: {
  groups: GroupView[]
  selectedId: number | undefined
  onSelect: (id: number) => void
  onReorder: (ordered: GroupView[]) => void
}) {
  const [dragId, setDragId] = createSignal<number | null>(null)
  const [overId, setOverId] = createSignal<number | null>(null)

  const drop = (targetId: number) => {
    const from = dragId()
    setDragId(null)
    setOverId(null)
    if (from === null || from === targetId) return
    const list = [...props.groups]
    const moved = list.find((g) => g.id === from)
    if (!moved) return
    const rest = list.filter((g) => g.id !== from)
    const at = rest.findIndex((g) => g.id === targetId)
    rest.splice(at < 0 ? rest.length : at, 0, moved)
    props.onReorder(rest)
  }

  return (
    <div class="card group-list" data-testid="group-list">
      <Show when={props.groups.length} fallback={<div class="empty">{t('groups.empty')}</div>}>
        <For each={props.groups}>
          {(g) => (
            <div
              class="group-item"
              classList={{ selected: g.id === props.selectedId, dragging: g.id === dragId(), 'drop-before': g.id === overId() && dragId() !== g.id }}
              draggable={true}
              onDragStart={(e) => {
                setDragId(g.id)
                e.dataTransfer?.setData('text/plain', String(g.id))
                if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
              }}
              onDragOver={(e) => {
                e.preventDefault()
                setOverId(g.id)
              }}
              onDragLeave={() => overId() === g.id && setOverId(null)}
              onDrop={(e) => {
                e.preventDefault()
                drop(g.id)
              }}
              onDragEnd={() => {
                setDragId(null)
                setOverId(null)
              }}
              onClick={() => props.onSelect(g.id)}
              data-testid={`group-${g.name}`}
            >
              <span class="grip" title={t('groups.dragHint')}>
                <Icon name="grip" />
              </span>
              <div style={{ 'min-width': 0, flex: 1 }}>
                <div class="name">{g.display_name || g.name}</div>
                <div class="sub">
                  {g.name} · {g.channel_type}
                  <Show when={g.group_type === 'aggregate'}> · {t('form.groupType.aggregate')}</Show>
                </div>
              </div>
            </div>
          )}
        </For>
      </Show>
    </div>
  )
}
