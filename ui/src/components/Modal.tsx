/** A dialog over the page (centered) or a drawer from the right; Escape and the backdrop (unless sticky) close it. */
import { onCleanup, onMount, Show, type JSX } from 'solid-js'
import { Portal } from 'solid-js/web'
import { t } from '../i18n'
import { Icon } from './Icon'

export function Modal(props: {
  title: string
  onClose: () => void
  children: JSX.Element
  footer?: JSX.Element
  drawer?: boolean
  wide?: boolean
  /** a click beside the dialog does not close it (it holds something shown once) */
  sticky?: boolean
}) {
  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose()
  onMount(() => document.addEventListener('keydown', onKey))
  onCleanup(() => document.removeEventListener('keydown', onKey))
  return (
    <Portal>
      <div class="backdrop" onClick={(e) => e.target === e.currentTarget && !props.sticky && props.onClose()}>
        <div
          class={props.drawer ? 'drawer' : 'modal'}
          classList={{ wide: props.wide }}
          role="dialog"
          aria-modal="true"
          aria-label={props.title}
        >
          <header class="modal-head">
            <h2>{props.title}</h2>
            <button class="icon-btn" onClick={() => props.onClose()} aria-label={t('common.close')}>
              <Icon name="x" />
            </button>
          </header>
          <div class="modal-body">{props.children}</div>
          <Show when={props.footer}>
            <footer class="modal-foot">{props.footer}</footer>
          </Show>
        </div>
      </div>
    </Portal>
  )
}
