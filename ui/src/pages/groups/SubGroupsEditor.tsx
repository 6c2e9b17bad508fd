/** The sub-groups of an aggregate group: pick standard groups of its channel type, set weights and tiers, remove. */
import { For, Show } from 'solid-js'
import type { SetStoreFunction } from 'solid-js/store'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { row, type FormErrors, type GroupFormState } from './group-form'

export function SubGroupsEditor(props: {
  form: GroupFormState
  set: SetStoreFunction<GroupFormState>
  errors: FormErrors
  /** every group; the ones that may be sub-groups are picked here */
  groups: GroupView[]
  /** the aggregate being edited (it cannot contain itself) */
  selfId?: number
}) {
  const candidates = () =>
    props.groups.filter((g) => g.group_type === 'standard' && g.channel_type === props.form.channel_type && g.id !== props.selfId)
  const chosen = () => new Set(props.form.sub_groups.map((r) => r.value.group_id))
  /** a row's choices: the free candidates plus its own group (even one that no longer fits, so it shows as chosen) */
  const optionsFor = (own: number) => {
    const list = candidates().filter((g) => g.id === own || !chosen().has(g.id))
    const current = props.groups.find((g) => g.id === own)
    return current && !list.includes(current) ? [current, ...list] : list
  }
  const free = () => candidates().filter((g) => !chosen().has(g.id))
  const label = (g: GroupView) => (g.display_name && g.display_name !== g.name ? `${g.display_name} (${g.name})` : g.name)

  return (
    <div class="rows-editor" data-testid="sub-groups-editor">
      <span class="hint faint">{t('form.subGroupsHint', { channel: props.form.channel_type })}</span>
      <For each={props.form.sub_groups}>
        {(r, i) => (
          <div class="row" data-testid="sub-group-row">
            <select
              value={r.value.group_id}
              onChange={(e) => props.set('sub_groups', i(), 'value', 'group_id', Number(e.currentTarget.value))}
              aria-label={t('form.subGroup')}
              style={{ flex: 1 }}
              data-testid="sub-group-select"
            >
              <For each={optionsFor(r.value.group_id)}>
                {(g) => (
                  <option value={g.id} selected={g.id === r.value.group_id}>
                    {g.channel_type === props.form.channel_type ? label(g) : `${label(g)} · ${g.channel_type}`}
                  </option>
                )}
              </For>
            </select>
            <input
              type="number"
              min="0"
              max="1000"
              style={{ width: '90px' }}
              value={r.value.weight}
              onInput={(e) => props.set('sub_groups', i(), 'value', 'weight', Number(e.currentTarget.value))}
              aria-label={t('form.weight')}
              title={t('form.weight')}
              data-testid="sub-group-weight"
            />
            <input
              type="number"
              min="1"
              max="100"
              style={{ width: '80px' }}
              value={r.value.priority}
              onInput={(e) => props.set('sub_groups', i(), 'value', 'priority', Number(e.currentTarget.value))}
              aria-label={t('form.subGroupPriority')}
              title={t('form.subGroupPriority')}
              data-testid="sub-group-priority"
            />
            <button type="button" class="icon-btn danger" onClick={() => props.set('sub_groups', (l) => l.filter((x) => x.id !== r.id))} aria-label={t('common.remove')}>
              <Icon name="trash" />
            </button>
          </div>
        )}
      </For>
      <Show when={props.errors.sub_groups}>
        <div class="field-error">{props.errors.sub_groups}</div>
      </Show>
      <Show
        when={candidates().length > 0}
        fallback={<div class="hint faint">{t('form.noCandidates', { channel: props.form.channel_type })}</div>}
      >
        <div>
          <button
            type="button"
            class="btn sm"
            disabled={free().length === 0}
            onClick={() => props.set('sub_groups', (l) => [...l, row({ group_id: free()[0]!.id, weight: 1, priority: 1 })])}
            data-testid="sub-group-add"
          >
            <Icon name="plus" size={14} />
            {t('form.addSubGroup')}
          </button>
        </div>
      </Show>
    </div>
  )
}
