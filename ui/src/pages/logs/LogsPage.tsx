import { For, Show } from 'solid-js'
import { Icon } from '../../components/Icon'
import { Pager } from '../../components/Pager'
import { LoadingBar } from '../../components/Progress'
import { t } from '../../i18n'
import { fmtDateTime, fmtInt, fmtMs, fmtShortTime } from '../../lib/format'
import { fmtMicros } from '../../lib/money'
import { createLogsData, type LogFilters } from './logs.data'
import { LogDetail } from './LogDetail'

export default function LogsPage() {
  const d = createLogsData()
  const text = (key: Exclude<keyof LogFilters, 'is_success'>, label: string, type = 'text') => (
    <label class="field">
      <span>{label}</span>
      <input type={type} value={d.draft[key]} onInput={(e) => d.setDraft(key, e.currentTarget.value)} />
    </label>
  )
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('logs.title')}</h1>
        <span class="spacer" />
        <button class="btn sm ghost" onClick={() => d.refetch()}>
          <Icon name="refresh" size={14} />
          {t('common.refresh')}
        </button>
        <a class="btn sm" href={d.exportUrl()} download="" data-testid="logs-export">
          <Icon name="download" size={14} />
          {t('logs.exportCsv')}
        </a>
      </div>
      <div class="card">
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault()
            d.apply()
          }}
        >
          <label class="field">
            <span>{t('logs.group')}</span>
            <select value={d.draft.group_name} onChange={(e) => d.setDraft('group_name', e.currentTarget.value)}>
              <option value="">{t('common.all')}</option>
              <For each={d.groups()}>{(g) => <option value={g.name}>{g.display_name || g.name}</option>}</For>
            </select>
          </label>
          <label class="field">
            <span>{t('logs.accessKey')}</span>
            <select value={d.draft.access_key_id} onChange={(e) => d.setDraft('access_key_id', e.currentTarget.value)} data-testid="log-access-key">
              <option value="">{t('common.all')}</option>
              <For each={d.accessKeys()}>{(k) => <option value={k.id}>{k.name}</option>}</For>
            </select>
          </label>
          <label class="field">
            <span>{t('logs.result')}</span>
            <select value={d.draft.is_success} onChange={(e) => d.setDraft('is_success', e.currentTarget.value as LogFilters['is_success'])}>
              <option value="">{t('common.all')}</option>
              <option value="true">{t('logs.success')}</option>
              <option value="false">{t('logs.failure')}</option>
            </select>
          </label>
          {text('model', t('logs.model'))}
          {text('status_code', t('logs.statusCode'), 'number')}
          {text('key_value', t('logs.key'))}
          {text('source_ip', t('logs.sourceIp'))}
          {text('start', t('logs.from'), 'datetime-local')}
          {text('end', t('logs.to'), 'datetime-local')}
          <div class="row">
            <button class="btn primary" type="submit">
              {t('common.apply')}
            </button>
            <button class="btn ghost" type="button" onClick={() => d.reset()}>
              {t('common.reset')}
            </button>
          </div>
        </form>
        <LoadingBar when={d.loading()} />
        <div class="table-wrap">
          <table class="data" data-testid="log-table">
            <thead>
              <tr>
                <th style={{ width: '130px' }}>{t('logs.time')}</th>
                <th style={{ width: '100px' }}>{t('logs.group')}</th>
                <th style={{ width: '100px' }}>{t('logs.key')}</th>
                <th style={{ width: '110px' }}>{t('logs.accessKey')}</th>
                <th style={{ width: '126px' }}>{t('logs.model')}</th>
                <th style={{ width: '66px' }}>{t('logs.status')}</th>
                <th style={{ width: '86px' }} class="num">{t('logs.duration')}</th>
                <th style={{ width: '72px' }} class="num">{t('logs.tokens')}</th>
                <th style={{ width: '104px' }} class="num">{t('logs.cost')}</th>
                <th style={{ width: '100px' }}>{t('logs.retry')}</th>
                <th style={{ width: '56px' }} class="num">{t('logs.tier')}</th>
                <th>{t('logs.error')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={d.logs()?.items}>
                {(l) => (
                  <tr class="clickable" onClick={() => d.setSelected(l)} data-testid="log-row">
                    <td title={fmtDateTime(l.timestamp)}>{fmtShortTime(l.timestamp)}</td>
                    <td>{l.group_name}</td>
                    <td class="mono">{l.key_value}</td>
                    <td data-testid="log-cell-access-key" title={l.access_key_id === null ? t('logs.viaProxyKey') : undefined}>
                      {l.access_key_id === null ? <span class="faint">—</span> : d.accessKeyName(l.access_key_id)}
                    </td>
                    <td>{l.model}</td>
                    <td>
                      <span class={`badge ${l.is_success ? 'ok' : 'bad'}`}>{l.status_code}</span>
                    </td>
                    <td class="num">{fmtMs(l.duration_ms)}</td>
                    <td class="num">{fmtInt(l.total_tokens)}</td>
                    <td class="num" data-testid="log-cell-cost" title={l.priced ? undefined : t('logs.notPriced')}>
                      {l.priced ? fmtMicros(l.cost_micros) : <span class="faint">—</span>}
                    </td>
                    <td>
                      <Show
                        when={l.request_type === 'retry'}
                        fallback={
                          <Show when={l.retries > 0}>
                            <span class="badge warn plain">{t('logs.retried', { n: l.retries })}</span>
                          </Show>
                        }
                      >
                        <span class="badge bad plain" title={t('logs.retryAttemptHint')}>
                          {t('logs.retryAttempt', { n: l.retries + 1 })}
                        </span>
                      </Show>
                    </td>
                    <td class="num" data-testid="log-tier">
                      <Show when={l.tier > 1} fallback={l.tier > 0 ? fmtInt(l.tier) : '—'}>
                        <span class="badge warn plain" title={t('logs.fallbackHint')}>{t('logs.fallbackTier', { n: l.tier })}</span>
                      </Show>
                    </td>
                    <td class="muted" title={l.error_message}>
                      {l.error_message}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={!d.loading() && d.logs()?.items.length === 0}>
            <div class="empty">{t('logs.empty')}</div>
          </Show>
        </div>
        <Pager pagination={d.logs()?.pagination} onPage={d.setPage} onPageSize={d.setPageSize} />
      </div>
      <Show when={d.selected()}>{(l) => <LogDetail log={l()} accessKeyName={d.accessKeyName(l().access_key_id)} onClose={() => d.setSelected(null)} />}</Show>
    </div>
  )
}
