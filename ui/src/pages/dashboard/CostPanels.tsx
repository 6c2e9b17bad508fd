/** The dashboard's money row: cost per hour over 24 h beside the top access keys and the top models. */
import type { ChartData } from '../../api/types'
import { BarChart } from '../../components/BarChart'
import { t } from '../../i18n'
import { fmtUsd } from '../../lib/money'
import { TopList, type TopEntry } from './TopList'

/** The `cost_usd` series of a cost chart as times and values. */
function costSeries(chart: ChartData | undefined) {
  if (!chart) return undefined
  const values = chart.datasets.find((d) => d.label === 'cost_usd')?.data ?? chart.labels.map(() => 0)
  return { times: chart.labels.map((l) => Date.parse(l)), values }
}

export function CostPanels(props: { cost: ChartData | undefined; topKeys: TopEntry[] | undefined; topModels: TopEntry[] | undefined }) {
  return (
    <div class="dash-grid">
      <div class="card">
        <div class="card-head">
          <h2>{t('dash.costChart')}</h2>
        </div>
        <BarChart data={costSeries(props.cost)} label={t('ak.chart.cost')} unit="hour" color="--warning" format={fmtUsd} testid="cost-chart" />
      </div>
      <TopList title={t('dash.topKeys')} entries={props.topKeys} testid="top-keys" />
      <TopList title={t('dash.topModels')} entries={props.topModels} testid="top-models" />
    </div>
  )
}
