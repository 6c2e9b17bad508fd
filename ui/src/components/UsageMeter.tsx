/** Used against a limit: a thin bar that turns amber past 80 % and red at the limit; no limit shows the number only. */
import { Show } from 'solid-js'

export function UsageMeter(props: { used: number; limit: number; label: string; testid?: string }) {
  const ratio = () => (props.limit > 0 ? Math.min(1, props.used / props.limit) : 0)
  const level = () => (ratio() >= 1 ? 'full' : ratio() >= 0.8 ? 'high' : '')
  return (
    <div class="meter" data-testid={props.testid}>
      <div class="meter-label">{props.label}</div>
      <Show when={props.limit > 0}>
        <div class="meter-track" role="meter" aria-valuemin={0} aria-valuemax={props.limit} aria-valuenow={Math.min(props.used, props.limit)}>
          <div class={`meter-fill ${level()}`} style={{ width: `${ratio() * 100}%` }} />
        </div>
      </Show>
    </div>
  )
}
