import { Show } from 'solid-js'

/** A progress bar; without `total` it is indeterminate (a running request of unknown length). */
export function Progress(props: { value?: number; total?: number; label?: string }) {
  const pct = () => (props.total && props.total > 0 ? Math.min(100, ((props.value ?? 0) / props.total) * 100) : null)
  return (
    <div class="progress" role="progressbar" aria-valuenow={pct() ?? undefined} aria-valuemin={0} aria-valuemax={100} aria-label={props.label}>
      <div class="progress-bar" classList={{ indeterminate: pct() === null }} style={{ width: pct() === null ? undefined : `${pct()}%` }} />
    </div>
  )
}

/** A 3px slot above a table that shows an indeterminate bar while it loads (the table does not jump). */
export function LoadingBar(props: { when: boolean }) {
  return (
    <div style={{ height: '3px' }}>
      <Show when={props.when}>
        <Progress />
      </Show>
    </div>
  )
}
