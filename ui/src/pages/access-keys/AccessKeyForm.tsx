/** Create or edit an access key: name, scopes, rate limits, budget. A new key's secret is shown by the page after. */
import { createSignal, For, Show } from 'solid-js'
import { createStore } from 'solid-js/store'
import { api } from '../../api/client'
import type { AccessKeyView, GroupView } from '../../api/types'
import { FormFooter } from '../../components/FormFooter'
import { Modal } from '../../components/Modal'
import { t, type MessageKey } from '../../i18n'
import { errorText } from '../../lib/toast'
import { emptyAccessKeyForm, formFromAccessKey, PERIODS, toAccessKeyInput, type AccessKeyFormErrors, type AccessKeyFormState } from './access-key-form'

type NumberField = 'rpm_limit' | 'tpm_limit' | 'max_concurrency' | 'token_budget' | 'cost_budget_usd'

export function AccessKeyForm(props: {
  accessKey?: AccessKeyView
  groups: GroupView[]
  onClose: () => void
  onCreated: (k: AccessKeyView & { key: string }) => void
  onSaved: (k: AccessKeyView) => void
}) {
  const [form, set] = createStore<AccessKeyFormState>(props.accessKey ? formFromAccessKey(props.accessKey) : emptyAccessKeyForm())
  const [errors, setErrors] = createSignal<AccessKeyFormErrors>({})
  const [serverError, setServerError] = createSignal('')
  const [busy, setBusy] = createSignal(false)

  const submit = async (e: Event) => {
    e.preventDefault()
    const result = toAccessKeyInput(form)
    if ('errors' in result) return setErrors(result.errors)
    setErrors({})
    setServerError('')
    setBusy(true)
    try {
      if (props.accessKey) props.onSaved(await api.accessKeys.update(props.accessKey.id, result.input))
      else props.onCreated(await api.accessKeys.create(result.input))
    } catch (err) {
      setServerError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const hintOr = (key: keyof AccessKeyFormState, hint: string) => (
    <span class={errors()[key] ? 'field-error' : 'hint'}>{errors()[key] ?? hint}</span>
  )
  const numberField = (key: NumberField, label: MessageKey, step = '1') => (
    <label class="field" classList={{ invalid: !!errors()[key] }}>
      <span>{t(label)}</span>
      <input type="number" min="0" step={step} value={form[key]} onInput={(e) => set(key, e.currentTarget.value)} data-testid={`ak-${key}`} />
      {hintOr(key, t('ak.field.zeroHint'))}
    </label>
  )
  // A scoped group that no longer exists is still listed (struck through), so it can be unticked.
  const groupChoices = () => [
    ...props.groups.map((g) => ({ name: g.name, label: g.display_name || g.name, missing: false })),
    ...form.groups.filter((n) => !props.groups.some((g) => g.name === n)).map((n) => ({ name: n, label: n, missing: true })),
  ]
  const toggleGroup = (name: string, on: boolean) => set('groups', (l) => (on ? [...l, name] : l.filter((g) => g !== name)))

  return (
    <Modal
      wide
      title={props.accessKey ? t('ak.editTitle', { name: props.accessKey.name }) : t('ak.createTitle')}
      onClose={props.onClose}
      footer={<FormFooter form="ak-form" error={serverError()} busy={busy()} onCancel={props.onClose} saveTestId="ak-save" />}
    >
      <form id="ak-form" onSubmit={submit} noValidate style={{ display: 'contents' }}>
        <section class="form-section">
          <h3>{t('ak.section.basic')}</h3>
          <div class="grid-2">
            <label class="field" classList={{ invalid: !!errors().name }}>
              <span>{t('ak.name')}</span>
              <input value={form.name} onInput={(e) => set('name', e.currentTarget.value)} required maxLength={100} data-testid="ak-name" />
              <Show when={errors().name}>
                <span class="field-error">{errors().name}</span>
              </Show>
            </label>
            <label class="field" classList={{ invalid: !!errors().expires_at }}>
              <span>{t('ak.field.expiresAt')}</span>
              <input type="datetime-local" value={form.expires_at} onInput={(e) => set('expires_at', e.currentTarget.value)} data-testid="ak-expires" />
              {hintOr('expires_at', t('ak.field.expiresHint'))}
            </label>
            <label class="field">
              <span>{t('ak.field.notes')}</span>
              <input value={form.notes} onInput={(e) => set('notes', e.currentTarget.value)} maxLength={1000} data-testid="ak-notes" />
            </label>
            <label class="check" style={{ 'align-self': 'end', 'min-height': '34px' }}>
              <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} data-testid="ak-enabled" />
              {t('ak.field.enabled')}
            </label>
          </div>
        </section>
        <section class="form-section">
          <h3>{t('ak.section.scopes')}</h3>
          <div class="field">
            <span>{t('ak.field.groups')}</span>
            <div class="chip-picks" data-testid="ak-groups">
              <For each={groupChoices()}>
                {(g) => (
                  <label class="chip-pick" classList={{ on: form.groups.includes(g.name), missing: g.missing }} title={g.name}>
                    <input type="checkbox" checked={form.groups.includes(g.name)} onChange={(e) => toggleGroup(g.name, e.currentTarget.checked)} />
                    {g.label}
                  </label>
                )}
              </For>
            </div>
            <span class="hint">{t('ak.field.groupsHint')}</span>
          </div>
          <div class="grid-2">
            <label class="field">
              <span>{t('ak.field.models')}</span>
              <textarea rows={3} value={form.models} onInput={(e) => set('models', e.currentTarget.value)} placeholder="gpt-4o*" data-testid="ak-models" />
              <span class="hint">{t('ak.field.modelsHint')}</span>
            </label>
            <label class="field" classList={{ invalid: !!errors().ip_allowlist }}>
              <span>{t('ak.field.ips')}</span>
              <textarea rows={3} value={form.ip_allowlist} onInput={(e) => set('ip_allowlist', e.currentTarget.value)} placeholder="10.0.0.0/8" data-testid="ak-ips" />
              {hintOr('ip_allowlist', t('ak.field.ipsHint'))}
            </label>
          </div>
        </section>
        <section class="form-section">
          <h3>{t('ak.section.limits')}</h3>
          <div class="grid-3">
            {numberField('rpm_limit', 'ak.field.rpm')}
            {numberField('tpm_limit', 'ak.field.tpm')}
            {numberField('max_concurrency', 'ak.field.concurrency')}
          </div>
        </section>
        <section class="form-section">
          <h3>{t('ak.section.budget')}</h3>
          <div class="grid-3">
            {numberField('token_budget', 'ak.field.tokenBudget')}
            {numberField('cost_budget_usd', 'ak.field.costBudget', '0.01')}
            <label class="field">
              <span>{t('ak.field.period')}</span>
              <select value={form.budget_period} onChange={(e) => set('budget_period', e.currentTarget.value as AccessKeyFormState['budget_period'])} data-testid="ak-period">
                <For each={PERIODS}>{(p) => <option value={p}>{t(`ak.period.${p}`)}</option>}</For>
              </select>
            </label>
          </div>
        </section>
      </form>
    </Modal>
  )
}
