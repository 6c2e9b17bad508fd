/** A progress bar; without `total` it is indeterminate (a running request of unknown length). */
export function Progress(props: { value?: number; total?: number; label?: string }) {
  const pct = () => (props.total && props.total > 0 ? Math.min(100, ((props.value ?? 0) / props.total) * 100) : null)
  return (
    <div class="progress" role="progressbar" aria-valuenow={pct() ?? undefined} aria-valuemin={0} aria-valuemax={100} aria-label={props.label}>
      <div class="progress-bar" classList={{ indeterminate: pct() === null }} style={{ width: pct() === null ? undefined : `${pct()}%` }} />
    </div>
  )
}
