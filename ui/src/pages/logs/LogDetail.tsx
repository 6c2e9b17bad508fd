import { Show, type JSX } from 'solid-js'
import type { LogView } from '../../api/types'
import { Modal } from '../../components/Modal'
import { t } from '../../i18n'
import { fmtDateTime, fmtInt, fmtMs } from '../../lib/format'
import { fmtMicros } from '../../lib/money'

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

export function LogDetail(props: { log: LogView; accessKeyName: string; onClose: () => void }) {
  const l = () => props.log
  const item = (label: string, value: JSX.Element) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  )
  return (
    <Modal drawer title={t('logs.detail')} onClose={props.onClose}>
      <dl class="detail-grid" data-testid="log-detail">
        {item(t('logs.time'), fmtDateTime(l().timestamp))}
        {item(t('logs.result'), <span class={`badge ${l().is_success ? 'ok' : 'bad'}`}>{l().status_code}</span>)}
        {item(t('logs.group'), l().group_name)}
        {item(t('logs.key'), <span class="mono">{l().key_value}</span>)}
        {item(t('logs.accessKey'), props.accessKeyName || t('logs.viaProxyKey'))}
        {item(t('logs.model'), l().model || '—')}
        {item(t('logs.method'), l().method)}
        {item(t('logs.path'), <span class="mono">{l().path}</span>)}
        {item(t('logs.upstream'), <span class="mono">{l().upstream}</span>)}
        {item(t('logs.duration'), fmtMs(l().duration_ms))}
        {item(t('logs.ttfb'), fmtMs(l().ttfb_ms))}
        {item(t('logs.stream'), l().is_stream ? t('common.yes') : t('common.no'))}
        {item(t('logs.retry'), fmtInt(l().retries))}
        {item(t('logs.tier'), l().tier > 0 ? fmtInt(l().tier) : '—')}
        {item(t('logs.promptTokens'), fmtInt(l().prompt_tokens))}
        {item(t('logs.completionTokens'), fmtInt(l().completion_tokens))}
        {item(t('logs.cost'), l().priced ? fmtMicros(l().cost_micros) : t('logs.notPriced'))}
        {item(t('logs.sourceIp'), l().source_ip)}
        {item(t('logs.userAgent'), l().user_agent)}
      </dl>
      <Show when={l().error_message}>
        <h3>{t('logs.error')}</h3>
        <pre class="block">{l().error_message}</pre>
      </Show>
      <Show when={l().request_body}>
        {(body) => (
          <>
            <h3>{t('logs.requestBody')}</h3>
            <pre class="block">{prettyBody(body())}</pre>
          </>
        )}
      </Show>
    </Modal>
  )
}
