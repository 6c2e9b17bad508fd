import { Show } from 'solid-js'
import type { DashboardStats, StatCard } from '../../api/types'
import { t } from '../../i18n'
import { fmtCompact, fmtInt } from '../../lib/format'
import { fmtUsd } from '../../lib/money'

function Trend(props: { card: StatCard; goodWhenUp: boolean }) {
  const good = () => props.card.trend_is_growth === props.goodWhenUp
  const arrow = () => (props.card.trend === 0 ? '→' : props.card.trend_is_growth ? '↑' : '↓')
  return (
    <span class={`trend ${props.card.trend === 0 ? '' : good() ? 'up' : 'down'}`}>
      {t('dash.trend', { value: `${arrow()} ${Math.abs(props.card.trend).toFixed(1)}%` })}
    </span>
  )
}

function Card(props: { label: string; value: string; children?: unknown; testid: string }) {
  return (
    <div class="card stat" data-testid={props.testid}>
      <div class="stat-label">{props.label}</div>
      {/* a long amount ($0.000018) gets a smaller size so six cards still fit a row */}
      <div class="stat-value" classList={{ long: props.value.length > 7, longer: props.value.length > 10 }}>
        {props.value}
      </div>
      <div class="stat-sub">{props.children as never}</div>
    </div>
  )
}

export function StatCards(props: { stats: DashboardStats | undefined }) {
  const s = () => props.stats
  const keys = () => s()?.keys ?? { active: 0, cooling: 0, invalid: 0, disabled: 0 }
  const totalKeys = () => Math.max(1, keys().active + keys().cooling + keys().invalid + keys().disabled)
  const share = (n: number) => `${(n / totalKeys()) * 100}%`
  return (
    <div class="stats">
      <Card label={t('dash.keys')} value={fmtInt(s()?.key_count.value ?? 0)} testid="stat-keys">
        <div class="key-bar" aria-hidden="true">
          <div class="active" style={{ width: share(keys().active) }} />
          <div class="cooling" style={{ width: share(keys().cooling) }} />
          <div class="invalid" style={{ width: share(keys().invalid) }} />
          <div class="disabled" style={{ width: share(keys().disabled) }} />
        </div>
        <div style={{ 'margin-top': '6px' }}>
          {t('dash.keysSub', {
            active: fmtInt(keys().active),
            cooling: fmtInt(keys().cooling),
            invalid: fmtInt(keys().invalid),
            disabled: fmtInt(keys().disabled),
          })}
        </div>
      </Card>
      <Card label={t('dash.rpm')} value={fmtInt(s()?.rpm.value ?? 0)} testid="stat-rpm">
        {t('dash.rpmSub')}
      </Card>
      <Card label={t('dash.requests')} value={fmtCompact(s()?.request_count.value ?? 0)} testid="stat-requests">
        <Show when={s()}>{(v) => <Trend card={v().request_count} goodWhenUp={true} />}</Show>
      </Card>
      <Card label={t('dash.errorRate')} value={`${(s()?.error_rate.value ?? 0).toFixed(2)}%`} testid="stat-errors">
        <Show when={s()}>{(v) => <Trend card={v().error_rate} goodWhenUp={false} />}</Show>
      </Card>
      <Card label={t('dash.tokens')} value={fmtCompact(s()?.token_count.value ?? 0)} testid="stat-tokens">
        <Show when={s()}>{(v) => <Trend card={v().token_count} goodWhenUp={true} />}</Show>
      </Card>
      <Card label={t('dash.fallback')} value={fmtInt(s()?.fallback_count.value ?? 0)} testid="stat-fallback">
        {t('dash.fallbackSub', { routed: fmtInt(s()?.fallback_count.sub_value ?? 0) })}
      </Card>
      <Card label={t('dash.cost')} value={fmtUsd(s()?.cost.value ?? 0, { short: true })} testid="stat-cost">
        <Show when={s()} fallback={t('dash.costSub')}>
          {(v) => <Trend card={v().cost} goodWhenUp={false} />}
        </Show>
      </Card>
    </div>
  )
}
