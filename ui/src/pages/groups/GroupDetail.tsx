/** One group: its endpoint, 24 h numbers, group-wide key actions and the key table. */
import { createSignal, Show } from 'solid-js'
import { api } from '../../api/client'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { copyText } from '../../lib/clipboard'
import { confirmAction } from '../../lib/confirm'
import { fmtInt, fmtPercent } from '../../lib/format'
import { watchTask } from '../../lib/tasks'
import { attempt } from '../../lib/toast'
import { AddKeysDialog } from './AddKeysDialog'
import { createKeysData } from './keys.data'
import { KeyTable } from './KeyTable'

export function GroupDetail(props: { group: GroupView; onEdit: () => void; onCopy: () => void; onDelete: () => void }) {
  const data = createKeysData(() => props.group.id)
  const [adding, setAdding] = createSignal(false)
  const g = () => props.group
  const day = () => data.stats()?.stats_24_hour
  const week = () => data.stats()?.stats_7_day

  const validate = async () => {
    const started = await attempt(() => api.keys.validateGroup(g().id))
    if (started) void watchTask(started)
  }
  const restoreInvalid = async () => {
    await attempt(() => api.keys.restoreAllInvalid(g().id), (r) => t('keys.done', { n: fmtInt(r.restored_count) }))
    data.refresh()
  }
  const clearInvalid = async () => {
    if (!(await confirmAction(t('keys.clearInvalidConfirm', { name: g().name })))) return
    await attempt(() => api.keys.clearAllInvalid(g().id), (r) => t('keys.done', { n: fmtInt(r.deleted_count) }))
    data.refresh()
  }
  const clearAll = async () => {
    if (!(await confirmAction(t('keys.clearAllConfirm', { name: g().name })))) return
    await attempt(() => api.keys.clearAll(g().id), (r) => t('keys.done', { n: fmtInt(r.deleted_count) }))
    data.refresh()
  }

  return (
    <div class="group-detail">
      <div class="card">
        <div class="card-head">
          <div style={{ 'min-width': 0 }}>
            <h2>{g().display_name || g().name}</h2>
            <div class="faint" style={{ 'font-size': '12.5px' }}>
              {g().name} · {g().channel_type} · {g().group_type}
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
          <div class="mini-stats">
            <div>
              <div class="value">{fmtInt(data.stats()?.key_stats.total_keys ?? 0)}</div>
              <div class="label">{t('dash.keys')}</div>
            </div>
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
              <div class="label">7 d</div>
            </div>
          </div>
        </div>
      </div>

      <div class="row wrap">
        <h2>{t('keys.title')}</h2>
        <span class="spacer" />
        <button class="btn primary sm" onClick={() => setAdding(true)} data-testid="keys-add">
          <Icon name="plus" size={14} />
          {t('keys.add')}
        </button>
        <button class="btn sm" onClick={validate}>
          <Icon name="check" size={14} />
          {t('keys.validate')}
        </button>
        <button class="btn sm" onClick={restoreInvalid}>
          {t('keys.restoreInvalid')}
        </button>
        <button class="btn sm" onClick={clearInvalid}>
          {t('keys.clearInvalid')}
        </button>
        <a class="btn sm" href={api.keys.exportUrl(g().id, data.status())} download="">
          <Icon name="download" size={14} />
          {t('keys.export')}
        </a>
        <button class="btn sm danger-ghost" onClick={clearAll}>
          {t('keys.clearAll')}
        </button>
      </div>
      <KeyTable group={g()} data={data} />
      <Show when={adding()}>
        <AddKeysDialog
          group={g()}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false)
            data.refresh()
          }}
        />
      </Show>
    </div>
  )
}
