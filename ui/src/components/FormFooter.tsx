import { Show } from 'solid-js'
import { t } from '../i18n'

/** The footer of a form in a Modal: the server's refusal on the left, Cancel and Save (of the form `form`) on the right. */
export function FormFooter(props: { form: string; error: string; busy: boolean; onCancel: () => void; saveTestId: string }) {
  return (
    <>
      <Show when={props.error}>
        <div class="field-error" role="alert" style={{ 'margin-right': 'auto', 'align-self': 'center' }}>
          {props.error}
        </div>
      </Show>
      <button class="btn ghost" type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
      <button class="btn primary" type="submit" form={props.form} disabled={props.busy} data-testid={props.saveTestId}>
        {props.busy ? t('common.saving') : t('common.save')}
      </button>
    </>
  )
}
