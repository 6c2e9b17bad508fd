/** Settings by category; checked inline as they are typed; saved as one PUT, applied by the server at once. */
import { A } from '@solidjs/router'
import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { api } from '../../api/client'
import type { SettingItem, SettingsCategory } from '../../api/types'
import { t, type MessageKey } from '../../i18n'
import { errorText, toast, toastError } from '../../lib/toast'
import { changedValues, checkSetting, draftOf, fieldOfMessage, type Draft } from './settings-form'
import { settingHelp, settingName, settingDefault } from './setting-text'
import { ModelPrices } from './ModelPrices'

const CATEGORY_KEYS: Record<string, MessageKey> = {
  basic: 'settings.cat.basic',
  requests: 'settings.cat.request',
  request: 'settings.cat.request',
  keys: 'settings.cat.keys',
  logs: 'settings.cat.logs',
}
const ALERTS_CATEGORY = 'Alerts'
const categoryName = (name: string) => {
  const key = CATEGORY_KEYS[name.toLowerCase()]
  return key ? t(key) : name
}

export default function SettingsPage() {
  const [draft, setDraft] = createStore<Draft>({})
  const [serverErrors, setServerErrors] = createSignal<Record<string, string>>({})
  const [busy, setBusy] = createSignal(false)
  const [categories, { mutate }] = createResource(async () => {
    try {
      const cats = await api.settings.list()
      setDraft(reconcile(draftOf(cats.flatMap((c) => c.settings))))
      return cats
    } catch (err) {
      toastError(err)
      return [] as SettingsCategory[]
    }
  })
  // the alert settings are edited on their own page (webhooks as rows, with a test button)
  const items = createMemo(() => (categories() ?? []).filter((c) => c.category_name !== ALERTS_CATEGORY).flatMap((c) => c.settings))
  const errorOf = (s: SettingItem) => checkSetting(s, draft[s.key] ?? '') || serverErrors()[s.key] || ''
  const hasErrors = () => items().some((s) => errorOf(s) !== '')
  const changes = () => changedValues(items(), draft)

  const save = async (e: Event) => {
    e.preventDefault()
    const values = changes()
    if (Object.keys(values).length === 0) return toast('info', t('settings.unchanged'))
    setBusy(true)
    try {
      const saved = await api.settings.update(values)
      mutate(saved)
      setDraft(reconcile(draftOf(saved.flatMap((c) => c.settings))))
      toast('success', t('settings.saved'))
    } catch (err) {
      const field = err instanceof Error ? fieldOfMessage(items(), err.message) : undefined
      if (field) setServerErrors({ [field]: (err as Error).message })
      toastError(err)
    } finally {
      setBusy(false)
    }
  }

  const edit = (key: string, value: string | boolean) => {
    setDraft(key, value)
    if (serverErrors()[key]) setServerErrors({})
  }

  return (
    <>
      <form class="page" onSubmit={save} data-testid="settings-form">
        <div class="page-head">
          <h1>{t('settings.title')}</h1>
        </div>
        <div class="card">
          <div class="card-body">
            <A href="/alerts" data-testid="settings-alerts-link">
              {t('settings.alertsElsewhere')}
            </A>
          </div>
        </div>
        <For each={(categories() ?? []).filter((c) => c.category_name !== ALERTS_CATEGORY)}>
          {(cat) => (
            <div class="card">
              <div class="card-head">
                <h2>{categoryName(cat.category_name)}</h2>
              </div>
              <div class="card-body settings-grid">
                <For each={cat.settings}>
                  {(s) => (
                    <label class="field" classList={{ invalid: !!errorOf(s) }}>
                      <span class="row">
                        {settingName(s)}
                        <Show when={s.group_override}>
                          <span class="badge plain" title={t('settings.overridable')}>
                            {t('settings.overridable')}
                          </span>
                        </Show>
                      </span>
                      <Show
                        when={s.type === 'bool'}
                        fallback={
                          <input
                            name={s.key}
                            type={s.type === 'int' ? 'number' : 'text'}
                            min={s.min_value}
                            max={s.max_value}
                            value={String(draft[s.key] ?? '')}
                            onInput={(e) => edit(s.key, e.currentTarget.value)}
                            data-testid={`setting-${s.key}`}
                          />
                        }
                      >
                        <label class="check">
                          <input type="checkbox" name={s.key} checked={Boolean(draft[s.key])} onChange={(e) => edit(s.key, e.currentTarget.checked)} data-testid={`setting-${s.key}`} />
                          {draft[s.key] ? t('common.yes') : t('common.no')}
                        </label>
                      </Show>
                      <Show when={errorOf(s)} fallback={<span class="hint">{settingHelp(s)} · {t('settings.default', { value: settingDefault(s) })}</span>}>
                        <span class="field-error" data-testid={`error-${s.key}`}>
                          {errorOf(s)}
                        </span>
                      </Show>
                    </label>
                  )}
                </For>
              </div>
            </div>
          )}
        </For>
        <div class="save-bar">
          <Show when={Object.keys(changes()).length > 0}>
            <button class="btn ghost" type="button" onClick={() => setDraft(reconcile(draftOf(items())))}>
              {t('common.reset')}
            </button>
          </Show>
          <button class="btn primary" type="submit" disabled={busy() || hasErrors()} data-testid="settings-save">
            {busy() ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
      {/* apart from the settings form: its own save, and the sticky save bar above stays with the settings */}
      <div class="page page-after">
        <ModelPrices />
      </div>
    </>
  )
}
