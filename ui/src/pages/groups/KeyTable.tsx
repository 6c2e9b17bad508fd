/** The key table: state tabs with counts, search, one server page of rows, bulk and per-row actions. */
import { createSignal, For, Show } from 'solid-js'
import type { GroupView, KeyView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { Pager } from '../../components/Pager'
import { LoadingBar } from '../../components/Progress'
import { t, tDynamic } from '../../i18n'
import { fmtAgo, fmtDateTime, fmtInt } from '../../lib/format'
import { copyFullKey, deleteKeys, editNotes, restoreKeys, testKeys } from './key-actions'
import type { KeysData, StatusFilter } from './keys.data'

const FILTERS: StatusFilter[] = ['all', 'active', 'cooling', 'invalid', 'disabled']

/** Cooling (after a 429) and paced (at the group's key limits, no penalty) are told apart, each with its end. */
function stateHint(k: KeyView): string | undefined {
  if (k.state === 'paced') return k.paced_until ? t('keys.pacedUntil', { time: fmtDateTime(k.paced_until) }) : t('keys.pacedInFlight')
  return k.cooling_until ? t('keys.coolingUntil', { time: fmtDateTime(k.cooling_until) }) : undefined
}

function StatusBadge(props: { k: KeyView }) {
  return (
    <span class={`badge ${props.k.state}`} title={stateHint(props.k)} data-testid={`state-${props.k.state}`}>
      {tDynamic(`status.${props.k.state}`, props.k.state)}
    </span>
  )
}

function NotesCell(props: { k: KeyView; data: KeysData }) {
  const [editing, setEditing] = createSignal(false)
  return (
    <Show
      when={editing()}
      fallback={
        <span class="row" style={{ gap: '2px', 'min-width': 0 }}>
          <span class="faint" style={{ overflow: 'hidden', 'text-overflow': 'ellipsis', 'font-size': '12.5px' }} title={props.k.notes}>
            {props.k.notes}
          </span>
          <button class="icon-btn" onClick={() => setEditing(true)} aria-label={t('keys.notes')} title={t('keys.notes')}>
            <Icon name="edit" size={13} />
          </button>
        </span>
      }
    >
      <input
        value={props.k.notes}
        aria-label={t('keys.notesPrompt')}
        style={{ width: '100%', 'min-height': '28px' }}
        autofocus
        onKeyDown={(e) => {
          if (e.key === 'Enter') void editNotes(props.k, e.currentTarget.value, props.data).then(() => setEditing(false))
          if (e.key === 'Escape') setEditing(false)
        }}
        onBlur={() => setEditing(false)}
      />
    </Show>
  )
}

export function KeyTable(props: { group: GroupView; data: KeysData }) {
  const d = props.data
  const counts = () => d.stats()?.key_stats
  const countOf = (f: StatusFilter) => {
    const c = counts()
    if (!c) return undefined
    return f === 'all' ? c.total_keys : c[`${f}_keys` as const]
  }
  const selectedKeys = () => d.rows.items.filter((k) => d.selected().has(k.id))
  let searchInput!: HTMLInputElement

  return (
    <div class="card">
      <div class="toolbar">
        <div class="segmented" role="tablist">
          <For each={FILTERS}>
            {(f) => (
              <button role="tab" aria-selected={d.status() === f} classList={{ on: d.status() === f }} onClick={() => d.filterBy(f)} data-testid={`filter-${f}`}>
                {tDynamic(`status.${f}`, f)}
                <Show when={countOf(f) !== undefined}>
                  <span class="count">{fmtInt(countOf(f) ?? 0)}</span>
                </Show>
              </button>
            )}
          </For>
        </div>
        <span class="spacer" />
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault()
            d.searchFor(searchInput.value)
          }}
        >
          <input ref={searchInput} type="search" placeholder={t('keys.searchPlaceholder')} aria-label={t('common.search')} onInput={(e) => !e.currentTarget.value && d.searchFor('')} />
          <button class="btn sm" type="submit">
            <Icon name="search" size={14} />
          </button>
        </form>
      </div>
      <Show when={d.selected().size > 0}>
        <div class="toolbar" style={{ background: 'var(--accent-soft)' }}>
          <strong>{t('keys.selected', { n: fmtInt(d.selected().size) })}</strong>
          <button class="btn sm" onClick={() => testKeys(props.group.id, selectedKeys(), d)}>
            {t('keys.testSelected')}
          </button>
          <button class="btn sm" onClick={() => restoreKeys(props.group.id, [...d.selected()], d)}>
            {t('keys.restoreSelected')}
          </button>
          <button class="btn sm danger-ghost" onClick={() => deleteKeys(props.group.id, [...d.selected()], d)}>
            {t('keys.deleteSelected')}
          </button>
        </div>
      </Show>
      <LoadingBar when={d.loading()} />
      <div class="table-wrap">
        <table class="data" data-testid="key-table">
          <thead>
            <tr>
              <th class="check-col">
                <input type="checkbox" checked={d.rows.items.length > 0 && d.selected().size === d.rows.items.length} onChange={() => d.toggleAll()} aria-label={t('common.all')} />
              </th>
              <th>{t('keys.key')}</th>
              <th style={{ width: '100px' }}>{t('keys.status')}</th>
              <th style={{ width: '80px' }} class="num">{t('keys.failures')}</th>
              <th style={{ width: '90px' }} class="num">{t('keys.requests')}</th>
              <th style={{ width: '130px' }}>{t('keys.lastUsed')}</th>
              <th style={{ width: '230px' }}>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={d.rows.items}>
              {(k) => (
                <tr data-testid="key-row">
                  <td class="check-col">
                    <input type="checkbox" checked={d.selected().has(k.id)} onChange={() => d.toggle(k.id)} aria-label={k.key_value} />
                  </td>
                  <td>
                    <div class="row" style={{ gap: '10px' }}>
                      <span class="mono">{k.key_value}</span>
                      <NotesCell k={k} data={d} />
                    </div>
                  </td>
                  <td>
                    <StatusBadge k={k} />
                  </td>
                  <td class="num">{fmtInt(k.failure_count)}</td>
                  <td class="num">{fmtInt(k.request_count)}</td>
                  <td title={fmtDateTime(k.last_used_at)}>{fmtAgo(k.last_used_at)}</td>
                  <td>
                    <div class="row" style={{ gap: '2px' }}>
                      <Show
                        when={k.state === 'disabled'}
                        fallback={
                          <button class="btn sm ghost" onClick={() => d.setKeyEnabled(k, false)}>
                            {t('keys.disable')}
                          </button>
                        }
                      >
                        <button class="btn sm ghost" onClick={() => d.setKeyEnabled(k, true)}>
                          {t('keys.enable')}
                        </button>
                      </Show>
                      <Show when={k.state === 'invalid' || k.state === 'cooling'}>
                        <button class="icon-btn" title={t('keys.restore')} aria-label={t('keys.restore')} onClick={() => restoreKeys(props.group.id, [k.id], d)}>
                          <Icon name="refresh" size={14} />
                        </button>
                      </Show>
                      <button class="icon-btn" title={t('keys.test')} aria-label={t('keys.test')} onClick={() => testKeys(props.group.id, [k], d)}>
                        <Icon name="play" size={14} />
                      </button>
                      <button class="icon-btn" title={t('keys.reveal')} aria-label={t('keys.reveal')} onClick={() => copyFullKey(k)}>
                        <Icon name="copy" size={14} />
                      </button>
                      <button class="icon-btn danger" title={t('common.delete')} aria-label={t('common.delete')} onClick={() => deleteKeys(props.group.id, [k.id], d)}>
                        <Icon name="trash" size={14} />
                      </button>
                    </div>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={!d.loading() && d.rows.items.length === 0}>
          {/* an empty group is not "no match": say how to fill it */}
          <div class="empty">{d.status() === 'all' && !d.search().trim() ? t('keys.none') : t('keys.empty')}</div>
        </Show>
      </div>
      <Pager pagination={d.rows.pagination} onPage={d.setPage} onPageSize={d.setPageSize} />
    </div>
  )
}
