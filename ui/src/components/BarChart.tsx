/**
 * One series over time as bars (uPlot), for hourly or daily buckets: a key's requests, tokens or cost, the
 * dashboard's cost. Colours come from the theme's CSS variables, so the chart is rebuilt on a theme switch.
 */
import { createEffect, on } from 'solid-js'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { lang } from '../i18n'
import { sizedPlot } from '../lib/sized-plot'
import { effectiveTheme } from '../lib/theme'

export interface BarSeries {
  /** bucket starts, epoch ms */
  times: number[]
  values: number[]
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()

/** 24 h "16:00" ticks for hours (midnight shows the date); dates for days. */
function tickLabels(unit: 'hour' | 'day') {
  return (_u: uPlot, splits: number[]) =>
    splits.map((s) => {
      const d = new Date(s * 1000)
      const dateOnly = unit === 'day' || (d.getHours() === 0 && d.getMinutes() === 0)
      return dateOnly
        ? d.toLocaleDateString(lang(), { month: '2-digit', day: '2-digit' })
        : d.toLocaleTimeString(lang(), { hour: '2-digit', minute: '2-digit', hour12: false })
    })
}

export function BarChart(props: {
  data: BarSeries | undefined
  label: string
  unit: 'hour' | 'day'
  /** a theme colour variable such as --accent */
  color?: string
  format?: (v: number) => string
  testid?: string
}) {
  let box!: HTMLDivElement
  const columns = (): uPlot.AlignedData => [(props.data?.times ?? []).map((x) => x / 1000), props.data?.values ?? []]

  const options = (width: number, height: number): uPlot.Options => {
    const grid = { stroke: cssVar('--border'), width: 1 }
    const axis = { stroke: cssVar('--text-3'), grid, ticks: { show: false }, font: '12px system-ui' }
    const color = cssVar(props.color ?? '--accent')
    const format = props.format ?? ((v: number) => String(v))
    return {
      width,
      height,
      padding: [12, 24, 0, 0],
      cursor: { points: { size: 7 } },
      legend: { show: true, live: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        { ...axis, values: tickLabels(props.unit) },
        // as wide as the longest tick label ($0.000015 needs more room than 12)
        { ...axis, size: (_u, values) => Math.max(40, ...(values ?? []).map((v) => v.length * 7 + 18)), values: (_u, splits) => splits.map(format) },
      ],
      series: [
        {},
        {
          label: props.label,
          stroke: color,
          fill: color + 'cc',
          width: 1,
          paths: uPlot.paths.bars!({ size: [0.6, 24] }),
          points: { show: false },
        },
      ],
    }
  }

  const { build, current } = sizedPlot(() => box, (w, h) => ({ options: options(w, h), data: columns() }))
  // label and format change with the language or the metric shown: rebuild; new data only redraws
  createEffect(on([effectiveTheme, lang, () => props.label, () => props.unit], build, { defer: true }))
  createEffect(on(() => props.data, () => current()?.setData(columns()), { defer: true }))

  return <div class="chart-box" ref={box} data-testid={props.testid} />
}
