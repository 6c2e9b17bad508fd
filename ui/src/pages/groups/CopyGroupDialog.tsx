import { createSignal } from 'solid-js'
import { api } from '../../api/client'
import type { CopyBody, GroupView } from '../../api/types'
import { Modal } from '../../components/Modal'
import { t } from '../../i18n'
import { fmtInt } from '../../lib/format'
import { attempt } from '../../lib/toast'

type CopyKeys = NonNullable<CopyBody['copy_keys']>

export function CopyGroupDialog(props: { group: GroupView; onClose: () => void; onCopied: (g: GroupView) => void }) {
  const [name, setName] = createSignal(`${props.group.name}-copy`)
  const [keys, setKeys] = createSignal<CopyKeys>('none')
  const [busy, setBusy] = createSignal(false)
  const submit = async () => {
    setBusy(true)
    const copy = await attempt(() => api.groups.copy(props.group.id, { new_group_name: name(), copy_keys: keys() }), (r) =>
      t('groups.copied', { name: r.group.name, n: fmtInt(r.keys_copied) }),
    )
    setBusy(false)
    if (copy) props.onCopied(copy.group)
  }
  return (
    <Modal
      title={t('groups.copyGroup')}
      onClose={props.onClose}
      footer={
        <>
          <button class="btn ghost" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button class="btn primary" disabled={busy() || !name()} onClick={submit}>
            {t('common.copy')}
          </button>
        </>
      }
    >
      <label class="field">
        <span>{t('groups.copyName')}</span>
        <input value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>{t('groups.copyKeys')}</span>
        <select value={keys()} onChange={(e) => setKeys(e.currentTarget.value as CopyKeys)}>
          <option value="none">{t('groups.copyKeys.none')}</option>
          <option value="valid_only">{t('groups.copyKeys.valid_only')}</option>
          <option value="all">{t('groups.copyKeys.all')}</option>
        </select>
      </label>
    </Modal>
  )
}
