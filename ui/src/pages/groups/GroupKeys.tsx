/** A standard group's keys: group-wide key actions, the key table and the add-keys dialog. */
import { createSignal, Show } from 'solid-js'
import { api } from '../../api/client'
import type { GroupView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { confirmAction } from '../../lib/confirm'
import { fmtInt } from '../../lib/format'
import { watchTask } from '../../lib/tasks'
import { attempt } from '../../lib/toast'
import { AddKeysDialog } from './AddKeysDialog'
import type { KeysData } from './keys.data'
import { KeyTable } from './KeyTable'

export function GroupKeys(props: { group: GroupView; data: KeysData }) {
  const [adding, setAdding] = createSignal(false)
  const g = () => props.group
  const data = props.data

  const validate = async () => {
    const started = await attempt(() => api.keys.validateGroup(g().id))
    if (started) void watchTask(started)
  }
  const restoreInvalid = async () => {
    await attempt(() => api.keys.restoreAllInvalid(g().id), (r) => t('keys.restored', { n: fmtInt(r.restored_count) }))
    data.refresh()
  }
  const clearInvalid = async () => {
    if (!(await confirmAction(t('keys.clearInvalidConfirm', { name: g().name })))) return
    await attempt(() => api.keys.clearAllInvalid(g().id), (r) => t('keys.deleted', { n: fmtInt(r.deleted_count) }))
    data.refresh()
  }
  const clearAll = async () => {
    if (!(await confirmAction(t('keys.clearAllConfirm', { name: g().name })))) return
    await attempt(() => api.keys.clearAll(g().id), (r) => t('keys.deleted', { n: fmtInt(r.deleted_count) }))
    data.refresh()
  }

  return (
    <>
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
    </>
  )
}
