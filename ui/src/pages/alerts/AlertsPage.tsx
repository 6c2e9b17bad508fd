/** Alert webhooks (with a test per row), the alert rules, and the history of sent alerts. */
import { For, Show } from 'solid-js'
import { Icon } from '../../components/Icon'
import { Pager } from '../../components/Pager'
import { t, tDynamic } from '../../i18n'
import { fmtDateTime } from '../../lib/format'
import { toast, toastError } from '../../lib/toast'
import { checkSetting } from '../settings/settings-form'
import { settingDefault, settingHelp, settingName } from '../settings/setting-text'
import { createAlertsData, EVENTS, FORMAT_LABELS, FORMATS } from './alerts.data'

const eventName = (e: string) => tDynamic(`alerts.event.${e}`, e)
const isHttpUrl = (v: string) => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(v.trim())

export default function AlertsPage() {
  const d = createAlertsData()
  const urlError = (url: string) => (isHttpUrl(url) ? '' : t('alerts.mustUrl'))
  const hasErrors = () =>
    d.draft.webhooks.some((w) => urlError(w.url) !== '') || d.numberItems().some((s) => checkSetting(s, d.draft.numbers[s.key] ?? '') !== '')

  const save = async (e: Event) => {
    e.preventDefault()
    try {
      await d.save()
      toast('success', t('alerts.saved'))
    } catch (err) {
      toastError(err)
    }
  }

  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('alerts.title')}</h1>
      </div>
      <form class="alerts-form" onSubmit={save} data-testid="alerts-form">
        <div class="card">
          <div class="card-head">
            <h2>{t('alerts.webhooks')}</h2>
            <span class="spacer" />
            <button class="btn sm" type="button" onClick={() => d.addWebhook()} data-testid="alerts-add">
              <Icon name="plus" size={14} />
              {t('alerts.add')}
            </button>
          </div>
          <div class="card-body">
            <p class="muted">{t('alerts.webhooksHint')}</p>
            <Show when={d.draft.webhooks.length > 0} fallback={<div class="empty">{t('alerts.none')}</div>}>
              <For each={d.draft.webhooks}>
                {(w, i) => {
                  const outcome = () => d.tests[i()]
                  return (
                    <div class="card-body alert-webhook" data-testid="alert-webhook">
                      <div class="settings-grid">
                        <label class="field" classList={{ invalid: !!urlError(w.url) }}>
                          <span>{t('alerts.url')}</span>
                          <input
                            type="url"
                            value={w.url}
                            placeholder="https://hooks.slack.com/services/…"
                            onInput={(e) => d.setDraft('webhooks', i(), 'url', e.currentTarget.value)}
                            data-testid="alert-url"
                          />
                          <Show when={urlError(w.url)}>
                            <span class="field-error">{urlError(w.url)}</span>
                          </Show>
                        </label>
                        <label class="field">
                          <span>{t('alerts.format')}</span>
                          <select
                            value={w.format}
                            onChange={(e) => d.setDraft('webhooks', i(), 'format', e.currentTarget.value as (typeof FORMATS)[number])}
                            data-testid="alert-format"
                          >
                            <For each={FORMATS}>{(f) => <option value={f}>{FORMAT_LABELS[f]}</option>}</For>
                          </select>
                        </label>
                      </div>
                      <div class="field">
                        <span>{t('alerts.events')}</span>
                        <div class="row">
                          <For each={EVENTS}>
                            {(e) => (
                              <label class="check">
                                <input type="checkbox" checked={w.events.includes(e)} onChange={() => d.toggleEvent(i(), e)} data-testid={`alert-event-${e}`} />
                                {eventName(e)}
                              </label>
                            )}
                          </For>
                        </div>
                        <Show when={w.events.length === 0}>
                          <span class="hint">{t('alerts.allEvents')}</span>
                        </Show>
                      </div>
                      <div class="row">
                        <button
                          class="btn sm"
                          type="button"
                          disabled={!!urlError(w.url) || outcome() === 'busy'}
                          onClick={() =>
                            d.test(i(), (r) =>
                              r.ok
                                ? t('alerts.testOk', { status: r.status_code ?? '', response: r.response || '—' })
                                : t('alerts.testFailed', { error: r.error || r.response }),
                            )
                          }
                          data-testid="alert-test"
                        >
                          <Icon name="play" size={14} />
                          {outcome() === 'busy' ? t('alerts.testing') : t('alerts.test')}
                        </button>
                        <button class="btn sm danger-ghost" type="button" onClick={() => d.removeWebhook(i())}>
                          <Icon name="trash" size={14} />
                          {t('common.remove')}
                        </button>
                        <Show when={typeof outcome() === 'object' && outcome()}>
                          {(o) => {
                            const r = o() as { ok: boolean; text: string }
                            return (
                              <span class={`badge ${r.ok ? 'ok' : 'bad'} plain`} data-testid="alert-test-result">
                                {r.text}
                              </span>
                            )
                          }}
                        </Show>
                      </div>
                    </div>
                  )
                }}
              </For>
            </Show>
          </div>
        </div>
        <div class="card">
          <div class="card-head">
            <h2>{t('alerts.rules')}</h2>
          </div>
          <div class="card-body settings-grid">
            <For each={d.numberItems()}>
              {(s) => {
                const error = () => checkSetting(s, d.draft.numbers[s.key] ?? '')
                return (
                  <label class="field" classList={{ invalid: !!error() }}>
                    <span>{settingName(s)}</span>
                    <input
                      type="number"
                      min={s.min_value}
                      max={s.max_value}
                      value={d.draft.numbers[s.key] ?? ''}
                      onInput={(e) => d.setDraft('numbers', s.key, e.currentTarget.value)}
                      data-testid={`setting-${s.key}`}
                    />
                    <Show when={error()} fallback={<span class="hint">{settingHelp(s)} · {t('settings.default', { value: settingDefault(s) })}</span>}>
                      <span class="field-error">{error()}</span>
                    </Show>
                  </label>
                )
              }}
            </For>
          </div>
        </div>
        <div class="save-bar">
          <button class="btn ghost" type="button" onClick={() => d.reset()}>
            {t('common.reset')}
          </button>
          <button class="btn primary" type="submit" disabled={hasErrors()} data-testid="alerts-save">
            {t('common.save')}
          </button>
        </div>
      </form>
      <div class="card">
        <div class="card-head">
          <h2>{t('alerts.history')}</h2>
          <span class="spacer" />
          <button class="btn sm ghost" type="button" onClick={() => d.refetchHistory()}>
            <Icon name="refresh" size={14} />
            {t('common.refresh')}
          </button>
        </div>
        <div class="table-wrap">
          <table class="data" data-testid="alert-history">
            <thead>
              <tr>
                <th style={{ width: '160px' }}>{t('alerts.time')}</th>
                <th style={{ width: '150px' }}>{t('alerts.event')}</th>
                <th>{t('alerts.message')}</th>
                <th style={{ width: '220px' }}>{t('alerts.target')}</th>
                <th style={{ width: '140px' }}>{t('alerts.result')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={d.history()?.items}>
                {(a) => (
                  <tr data-testid="alert-history-row">
                    <td>{fmtDateTime(a.created_at)}</td>
                    <td>{eventName(a.event)}</td>
                    <td title={a.subject}>{a.message}</td>
                    <td class="mono" title={a.node}>
                      {FORMAT_LABELS[a.format as keyof typeof FORMAT_LABELS] ?? a.format} · {a.target}
                    </td>
                    <td title={a.error}>
                      <span class={`badge ${a.ok ? 'ok' : 'bad'}`}>{a.ok ? t('alerts.delivered') : t('alerts.failed')}</span>{' '}
                      <span class="muted">{t('alerts.attempts', { n: a.attempts })}</span>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={!d.history.loading && (d.history()?.items.length ?? 0) === 0}>
            <div class="empty">{t('alerts.historyEmpty')}</div>
          </Show>
        </div>
        <Pager pagination={d.history()?.pagination} onPage={d.setPage} onPageSize={d.setPageSize} />
      </div>
    </div>
  )
}
