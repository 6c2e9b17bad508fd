/** One group: its endpoint and 24 h numbers, then its keys (standard) or its sub-groups (aggregate). */
import { Show } from 'solid-js'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { copyText } from '../../lib/clipboard'
import { fmtInt, fmtPercent } from '../../lib/format'
import { GroupKeys } from './GroupKeys'
import { createKeysData } from './keys.data'
import { SubGroupsPanel } from './SubGroupsPanel'

export function GroupDetail(props: {
  group: GroupView
  groups: GroupView[]
  onSelect: (id: number) => void
  onEdit: () => void
  onCopy: () => void
  onDelete: () => void
}) {
  const g = () => props.group
  const standard = () => g().group_type === 'standard'
  const data = createKeysData(() => props.group.id, standard)
  const day = () => data.stats()?.stats_24_hour
  const week = () => data.stats()?.stats_7_day
  const cache = () => data.stats()?.cache_24_hour

  return (
    <div class="group-detail">
      <div class="card">
        <div class="card-head">
          <div style={{ 'min-width': 0 }}>
            <h2>{g().display_name || g().name}</h2>
            <div class="faint" style={{ 'font-size': '12.5px' }}>
              {g().name} · {g().channel_type} · {standard() ? t('form.groupType.standard') : t('form.groupType.aggregate')}
              <Show when={g().description}> · {g().description}</Show>
            </div>
          </div>
          <span class="spacer" />
          <button class="btn sm" onClick={props.onEdit} data-testid="group-edit">
            <Icon name="edit" size={14} />
            {t('common.edit')}
          </button>
          <button class="btn sm" onClick={props.onCopy}>
            <Icon name="copy" size={14} />
            {t('common.copy')}
          </button>
          <button class="btn sm danger-ghost" onClick={props.onDelete}>
            <Icon name="trash" size={14} />
            {t('common.delete')}
          </button>
        </div>
        <div class="card-body" style={{ display: 'flex', 'flex-direction': 'column', gap: '14px' }}>
          <div class="field">
            <span>{t('groups.endpoint')}</span>
            <div class="endpoint" data-testid="group-endpoint">
              <Icon name="link" size={14} />
              <span>{g().endpoint}</span>
              <button class="btn sm" onClick={() => copyText(g().endpoint)} title={t('groups.copyEndpoint')}>
                <Icon name="copy" size={14} />
                {t('common.copy')}
              </button>
            </div>
          </div>
          <Show when={g().models.length > 0}>
            <div class="field" data-testid="group-routing-summary">
              <span>{t('form.routing')}</span>
              <div class="hint">
                <span class="mono">{g().models.join(', ')}</span>
                {` · ${t('form.priority')} ${fmtInt(g().priority)} · ${t('form.routeWeight')} ${fmtInt(g().weight)}`}
              </div>
            </div>
          </Show>
          <div class="mini-stats">
            <Show
              when={standard()}
              fallback={
                <div>
                  <div class="value">{fmtInt(g().sub_groups.length)}</div>
                  <div class="label">{t('groups.subGroups')}</div>
                </div>
              }
            >
              <div>
                <div class="value">{fmtInt(data.stats()?.key_stats.total_keys ?? 0)}</div>
                <div class="label">{t('dash.keys')}</div>
              </div>
            </Show>
            <div>
              <div class="value">{fmtInt(day()?.total_requests ?? 0)}</div>
              <div class="label">{t('groups.stats24h')}</div>
            </div>
            <div>
              <div class="value">{fmtPercent(day()?.failure_rate ?? 0)}</div>
              <div class="label">{t('groups.failureRate')}</div>
            </div>
            <div>
              <div class="value">{fmtInt(week()?.total_requests ?? 0)}</div>
              <div class="label">{t('groups.stats7d')}</div>
            </div>
            <div title={t('groups.cacheHits', { n: fmtInt(cache()?.cache_hits ?? 0) })} data-testid="group-cache-hit-rate">
              <div class="value">{fmtPercent(cache()?.hit_rate ?? 0)}</div>
              <div class="label">{t('groups.cacheHitRate')}</div>
            </div>
          </div>
        </div>
      </div>

      <Show when={standard()} fallback={<SubGroupsPanel group={g()} groups={props.groups} onSelect={props.onSelect} />}>
        <GroupKeys group={g()} data={data} />
      </Show>
    </div>
  )
}
