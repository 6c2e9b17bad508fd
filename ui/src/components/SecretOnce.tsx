/**
 * A secret shown once (a new or rotated access key): the value in full, a copy button, and why it will not be
 * shown again. Closing is only by the explicit button or the dialog's close, never by clicking beside it.
 */
import { createSignal } from 'solid-js'
import { t } from '../i18n'
import { copyText } from '../lib/clipboard'
import { Icon } from './Icon'
import { Modal } from './Modal'

export function SecretOnce(props: { title: string; secret: string; onClose: () => void }) {
  const [copied, setCopied] = createSignal(false)
  const copy = async () => {
    await copyText(props.secret)
    setCopied(true)
  }
  return (
    <Modal
      title={props.title}
      onClose={props.onClose}
      sticky
      footer={
        <button class="btn primary" onClick={() => props.onClose()} data-testid="secret-done">
          {t('ak.secretDone')}
        </button>
      }
    >
      <p class="muted">{t('ak.secretHint')}</p>
      <div class="endpoint secret" data-testid="secret-box">
        <span class="mono" data-testid="secret-value">
          {props.secret}
        </span>
        <button class="btn sm" classList={{ primary: !copied() }} onClick={copy} data-testid="secret-copy">
          <Icon name={copied() ? 'check' : 'copy'} size={14} />
          {copied() ? t('common.copied') : t('ak.copyKey')}
        </button>
      </div>
      <p class="hint">{t('ak.secretUse')}</p>
    </Modal>
  )
}
