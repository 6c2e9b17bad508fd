/**
 * Hourly successes and failures drawn with uPlot (small, canvas-based, fast). Colours come from the theme's CSS
 * variables, so the chart is rebuilt when the theme changes; new data only calls `setData`.
 */
import { createEffect, on } from 'solid-js'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { ChartData } from '../../api/types'
import { lang, t } from '../../i18n'
import { sizedPlot } from '../../lib/sized-plot'
import { effectiveTheme } from '../../lib/theme'

/** Theme colours are hex in base.css, so an alpha suffix works. */
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()

function toColumns(data: ChartData | undefined): uPlot.AlignedData {
  const xs = (data?.labels ?? []).map((l) => Date.parse(l) / 1000)
  const series = (label: string) => data?.datasets.find((d) => d.label === label)?.data ?? xs.map(() => 0)
  return [xs, series('success'), series('failure')]
}

const bars = (align: -1 | 1) => uPlot.paths.bars!({ size: [0.4, 18], align })

/** Hour ticks as 24 h "16:00" in either language (uPlot's default is US "4pm"); midnight shows the date. */
function hourLabels(_u: uPlot, splits: number[]): string[] {
  return splits.map((s) => {
    const d = new Date(s * 1000)
    return d.getHours() === 0 && d.getMinutes() === 0
      ? d.toLocaleDateString(lang(), { month: '2-digit', day: '2-digit' })
      : d.toLocaleTimeString(lang(), { hour: '2-digit', minute: '2-digit', hour12: false })
  })
}

function options(width: number, height: number): uPlot.Options {
  const grid = { stroke: cssVar('--border'), width: 1 }
  const axis = { stroke: cssVar('--text-3'), grid, ticks: { show: false }, font: '12px system-ui' }
  const success = cssVar('--success')
  const failure = cssVar('--danger')
  return {
    width,
    height,
    // room on the right so the last hour label is not cut
    padding: [12, 24, 0, 0],
    cursor: { points: { size: 7 } },
    legend: { show: true, live: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.1)] } },
    axes: [{ ...axis, values: hourLabels }, { ...axis, size: 50 }],
    series: [
      {},
      // Side-by-side bars per hour: counts per bucket read better as bars than as a line.
      { label: t('dash.success'), stroke: success, fill: success + 'cc', width: 1, paths: bars(-1), points: { show: false } },
      { label: t('dash.failure'), stroke: failure, fill: failure + 'cc', width: 1, paths: bars(1), points: { show: false } },
    ],
  }
}

export function RequestsChart(props: { data: ChartData | undefined }) {
  let box!: HTMLDivElement

  const { build, current } = sizedPlot(() => box, (w, h) => ({ options: options(w, h), data: toColumns(props.data) }))
  createEffect(on([effectiveTheme, lang], build, { defer: true }))
  createEffect(on(() => props.data, (data) => current()?.setData(toColumns(data)), { defer: true }))

  return <div class="chart-box" ref={box} data-testid="requests-chart" />
}
