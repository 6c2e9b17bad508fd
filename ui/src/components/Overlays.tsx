/** App-wide overlays: toasts, the confirm dialog, the running task's progress. */
import { For, Show } from 'solid-js'
import { t, tDynamic } from '../i18n'
import { pendingConfirm } from '../lib/confirm'
import { fmtInt } from '../lib/format'
import { task } from '../lib/tasks'
import { dismiss, toasts } from '../lib/toast'
import { Icon } from './Icon'
import { Modal } from './Modal'
import { Progress } from './Progress'

export function Toasts() {
  return (
    <div class="toasts" aria-live="polite">
      <For each={toasts()}>
        {(item) => (
          <div class={`toast ${item.kind}`} role={item.kind === 'error' ? 'alert' : 'status'}>
            <span>{item.text}</span>
            <button class="icon-btn" onClick={() => dismiss(item.id)} aria-label={t('common.close')}>
              <Icon name="x" size={14} />
            </button>
          </div>
        )}
      </For>
    </div>
  )
}

export function ConfirmHost() {
  return (
    <Show when={pendingConfirm()}>
      {(req) => (
        <Modal
          title={t('common.confirm')}
          onClose={() => req().resolve(false)}
          footer={
            <>
              <button class="btn ghost" onClick={() => req().resolve(false)}>
                {t('common.cancel')}
              </button>
              <button class={`btn ${req().danger ? 'danger' : 'primary'}`} onClick={() => req().resolve(true)} autofocus>
                {t('common.confirm')}
              </button>
            </>
          }
        >
          <p>{req().text}</p>
        </Modal>
      )}
    </Show>
  )
}

export function TaskBanner() {
  return (
    <Show when={task()?.task_type ? task() : null}>
      {(status) => (
        <div class="task-banner" data-testid="task-banner">
          <div class="task-line">
            <strong>{tDynamic(`task.${status().task_type}`, status().task_type)}</strong>
            <span class="muted">{status().group_name}</span>
            <span class="spacer" />
            <span>{t('task.progress', { processed: fmtInt(status().processed), total: fmtInt(status().total) })}</span>
          </div>
          <Progress value={status().is_running ? status().processed : 1} total={status().is_running ? status().total : 1} />
        </div>
      )}
    </Show>
  )
}
