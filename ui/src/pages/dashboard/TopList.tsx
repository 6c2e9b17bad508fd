/** A short ranked list (top access keys, top models): cost and requests per entry, a bar relative to the first. */
import { For, Show } from 'solid-js'
import { t } from '../../i18n'
import { fmtCompact } from '../../lib/format'
import { fmtMicros } from '../../lib/money'

export interface TopEntry {
  name: string
  requests: number
  cost_micros: number
  /** shown faint: a deleted key, or requests made with proxy keys */
  muted?: boolean
}

export function TopList(props: { title: string; entries: TopEntry[] | undefined; testid: string }) {
  // Bars follow cost when anything cost money, else requests (unpriced models still rank).
  const measure = (e: TopEntry) => (props.entries?.some((x) => x.cost_micros > 0) ? e.cost_micros : e.requests)
  const top = () => Math.max(1, ...(props.entries ?? []).map(measure))
  return (
    <div class="card" data-testid={props.testid}>
      <div class="card-head">
        <h2>{props.title}</h2>
      </div>
      <Show when={props.entries?.length} fallback={<div class="empty">{t('dash.topEmpty')}</div>}>
        <ol class="top-list">
          <For each={props.entries}>
            {(e) => (
              <li>
                <div class="top-line">
                  <span class="name" classList={{ faint: e.muted }} title={e.name}>
                    {e.name}
                  </span>
                  <span class="value faint">{t('dash.requestsShort', { n: fmtCompact(e.requests) })}</span>
                  <span class="value">{fmtMicros(e.cost_micros)}</span>
                </div>
                <div class="meter-track">
                  <div class="meter-fill" style={{ width: `${(measure(e) / top()) * 100}%` }} />
                </div>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  )
}
