/**
 * A uPlot chart that fills its box and follows the box's size: made when the component mounts, remade by
 * `build()` (a theme, language or label change), destroyed with the component. Call it during component setup.
 */
import { onCleanup, onMount } from 'solid-js'
import uPlot from 'uplot'

/** room under the canvas for the legend */
const LEGEND_PX = 30

export function sizedPlot(
  box: () => HTMLDivElement,
  make: (width: number, height: number) => { options: uPlot.Options; data: uPlot.AlignedData },
): { build: () => void; current: () => uPlot | undefined } {
  let plot: uPlot | undefined
  const build = () => {
    plot?.destroy()
    const el = box()
    const { options, data } = make(el.clientWidth, el.clientHeight - LEGEND_PX)
    plot = new uPlot(options, data, el)
  }
  onMount(() => {
    build()
    const observer = new ResizeObserver(() => plot?.setSize({ width: box().clientWidth, height: box().clientHeight - LEGEND_PX }))
    observer.observe(box())
    onCleanup(() => {
      observer.disconnect()
      plot?.destroy()
    })
  })
  return { build, current: () => plot }
}
