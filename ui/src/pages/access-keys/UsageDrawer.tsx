/** A drawer with one access key's usage chart: requests, tokens or cost over the last day, week or month. */
import { For } from 'solid-js'
import type { AccessKeyView } from '../../api/types'
import { BarChart } from '../../components/BarChart'
import { Modal } from '../../components/Modal'
import { LoadingBar } from '../../components/Progress'
import { t, type MessageKey } from '../../i18n'
import { fmtCompact, fmtInt } from '../../lib/format'
import { fmtUsd } from '../../lib/money'
import { createUsageData, type UsageMetric, type UsageRange } from './usage.data'

const RANGES: UsageRange[] = ['day', 'week', 'month']
const METRICS: { id: UsageMetric; label: MessageKey; color: string }[] = [
  { id: 'requests', label: 'ak.chart.requests', color: '--accent' },
  { id: 'tokens', label: 'ak.chart.tokens', color: '--success' },
  { id: 'cost', label: 'ak.chart.cost', color: '--warning' },
]

export function UsageDrawer(props: { accessKey: AccessKeyView; onClose: () => void }) {
  const u = createUsageData(() => props.accessKey.id)
  const current = () => METRICS.find((m) => m.id === u.metric())!
  const format = (v: number) => (u.metric() === 'cost' ? fmtUsd(v) : fmtCompact(v))
  return (
    <Modal drawer title={t('ak.chartTitle', { name: props.accessKey.name })} onClose={props.onClose}>
      <div class="row wrap">
        <div class="segmented" role="radiogroup" aria-label={t('ak.chart')}>
          <For each={METRICS}>
            {(m) => (
              <button role="radio" aria-checked={u.metric() === m.id} classList={{ on: u.metric() === m.id }} onClick={() => u.setMetric(m.id)} data-testid={`usage-metric-${m.id}`}>
                {t(m.label)}
              </button>
            )}
          </For>
        </div>
        <span class="spacer" />
        <select value={u.range()} onChange={(e) => u.setRange(e.currentTarget.value as UsageRange)} aria-label={t('ak.chart')} data-testid="usage-range">
          <For each={RANGES}>{(r) => <option value={r}>{t(`ak.range.${r}`)}</option>}</For>
        </select>
      </div>
      <LoadingBar when={u.loading()} />
      <div class="muted" data-testid="usage-totals">
        {t('ak.chartTotals', { requests: fmtInt(u.totals().requests), tokens: fmtCompact(u.totals().tokens), cost: fmtUsd(u.totals().cost) })}
      </div>
      <BarChart data={u.series()} label={t(current().label)} color={current().color} unit={u.interval()} format={format} testid="usage-chart" />
    </Modal>
  )
}
