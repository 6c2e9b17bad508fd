/** An aggregate group's sub-groups: each with its tier, its weight, its share of its tier's requests and its key counts. */
import { createResource, For, Show } from 'solid-js'
import { api } from '../../api/client'
import type { GroupStats, GroupView } from '../../api/types'
import { LoadingBar } from '../../components/Progress'
import { t } from '../../i18n'
import { fmtInt, fmtPercent } from '../../lib/format'
import { toastError } from '../../lib/toast'

interface SubGroupRow {
  group_id: number
  name: string
  weight: number
  priority: number
  keys: GroupStats['key_stats'] | undefined
}

async function loadRows(id: number): Promise<SubGroupRow[]> {
  const subs = await api.groups.subGroups(id)
  const stats = await Promise.all(subs.map((s) => api.groups.stats(s.group_id).catch(() => undefined)))
  return subs.map((s, i) => ({ ...s, keys: stats[i]?.key_stats }))
}

export function SubGroupsPanel(props: { group: GroupView; groups: GroupView[]; onSelect: (id: number) => void }) {
  // Keyed on the sub-group list itself, so an edit of the aggregate reloads it and a reorder does not.
  const source = () => JSON.stringify([props.group.id, props.group.sub_groups])
  const [rows] = createResource(source, () => loadRows(props.group.id).catch((e) => (toastError(e), [] as SubGroupRow[])))
  const list = () => rows.latest ?? []
  // a tier's sub-groups share its requests; the next tier serves only when they are out or failed
  const tierWeight = (priority: number) => list().reduce((n, r) => n + (r.priority === priority ? r.weight : 0), 0)
  const sum = (pick: (k: GroupStats['key_stats']) => number) => list().reduce((n, r) => n + (r.keys ? pick(r.keys) : 0), 0)
  const displayName = (r: SubGroupRow) => {
    const g = props.groups.find((x) => x.id === r.group_id)
    return g?.display_name && g.display_name !== g.name ? g.display_name : ''
  }

  return (
    <div class="card" data-testid="sub-groups">
      <div class="card-head">
        <h2>{t('groups.subGroups')}</h2>
      </div>
      <div class="sub-groups-hint">{t('groups.aggregateHint')}</div>
      <LoadingBar when={rows.loading} />
      <div class="table-wrap">
        <table class="data" data-testid="sub-group-table">
          <thead>
            <tr>
              <th>{t('form.subGroup')}</th>
              <th class="num" style={{ width: '90px' }}>{t('form.priority')}</th>
              <th class="num" style={{ width: '90px' }}>{t('form.weight')}</th>
              <th class="num" style={{ width: '90px' }}>{t('groups.share')}</th>
              <th class="num" style={{ width: '110px' }}>{t('groups.activeKeys')}</th>
              <th class="num" style={{ width: '110px' }}>{t('groups.totalKeys')}</th>
              <th style={{ width: '90px' }} />
            </tr>
          </thead>
          <tbody>
            <For each={list()}>
              {(r) => (
                <tr data-testid="sub-group-item">
                  <td>
                    <span class="mono">{r.name}</span>
                    <Show when={displayName(r)}>
                      <span class="faint"> · {displayName(r)}</span>
                    </Show>
                  </td>
                  <td class="num" data-testid="sub-group-tier">{fmtInt(r.priority)}</td>
                  <td class="num">{fmtInt(r.weight)}</td>
                  <td class="num">{fmtPercent(tierWeight(r.priority) ? r.weight / tierWeight(r.priority) : 0)}</td>
                  <td class="num">{r.keys ? fmtInt(r.keys.active_keys) : '–'}</td>
                  <td class="num">{r.keys ? fmtInt(r.keys.total_keys) : '–'}</td>
                  <td>
                    <button class="btn sm ghost" onClick={() => props.onSelect(r.group_id)}>
                      {t('groups.open')}
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
          <Show when={list().length > 1}>
            <tfoot>
              <tr>
                <td>{t('groups.total')}</td>
                <td />
                <td class="num">{fmtInt(list().reduce((n, r) => n + r.weight, 0))}</td>
                <td />
                <td class="num">{fmtInt(sum((k) => k.active_keys))}</td>
                <td class="num">{fmtInt(sum((k) => k.total_keys))}</td>
                <td />
              </tr>
            </tfoot>
          </Show>
        </table>
        <Show when={!rows.loading && list().length === 0}>
          <div class="empty">{t('groups.noSubGroups')}</div>
        </Show>
      </div>
    </div>
  )
}
