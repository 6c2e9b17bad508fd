/** The access keys with their state, usage this period against the budget, limits and scopes, and row actions. */
import { For, Show } from 'solid-js'
import type { AccessKeyView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { UsageMeter } from '../../components/UsageMeter'
import { lang, t } from '../../i18n'
import { fmtAgo, fmtCompact, fmtDateTime, fmtInt } from '../../lib/format'
import { fmtUsd } from '../../lib/money'

/** "in 5 days" up to a week ahead, else the date alone (a month's reset at 00:00 needs no seconds). */
function fmtWhen(epochMs: number): string {
  return epochMs - Date.now() < 7 * 86_400_000 ? fmtAgo(epochMs) : new Date(epochMs).toLocaleDateString(lang())
}

export type AccessKeyState = 'enabled' | 'disabled' | 'expired'

export function stateOf(k: AccessKeyView, now = Date.now()): AccessKeyState {
  if (!k.enabled) return 'disabled'
  return k.expires_at !== null && k.expires_at <= now ? 'expired' : 'enabled'
}
const BADGE: Record<AccessKeyState, string> = { enabled: 'ok', disabled: 'disabled', expired: 'warn' }

/** One line per limit set, so three limits never run into the next column. */
function limitLines(k: AccessKeyView): string[] {
  const lines: string[] = []
  if (k.rpm_limit) lines.push(t('ak.limit.rpm', { n: fmtInt(k.rpm_limit) }))
  if (k.tpm_limit) lines.push(t('ak.limit.tpm', { n: fmtCompact(k.tpm_limit) }))
  if (k.max_concurrency) lines.push(t('ak.limit.concurrency', { n: fmtInt(k.max_concurrency) }))
  return lines.length ? lines : [t('ak.noLimits')]
}

function scopeText(k: AccessKeyView): string {
  const parts = [...k.groups, ...k.models, ...k.ip_allowlist]
  return parts.length ? parts.join(', ') : t('ak.scopeAll')
}

export interface AccessKeyActions {
  onEdit: (k: AccessKeyView) => void
  onChart: (k: AccessKeyView) => void
  onToggle: (k: AccessKeyView) => void
  onRotate: (k: AccessKeyView) => void
  onDelete: (k: AccessKeyView) => void
}

export function AccessKeyTable(props: { keys: AccessKeyView[] } & AccessKeyActions) {
  return (
    <div class="table-wrap">
      <table class="data ak-table" data-testid="ak-table">
        <thead>
          <tr>
            <th style={{ width: '22%' }}>{t('ak.name')}</th>
            <th style={{ width: '124px' }}>{t('ak.state')}</th>
            <th style={{ width: '24%' }}>{t('ak.usage')}</th>
            <th>{t('ak.limits')}</th>
            <th style={{ width: '120px' }}>{t('ak.lastUsed')}</th>
            <th style={{ width: '244px' }}>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.keys}>
            {(k) => (
              <tr data-testid="ak-row" data-name={k.name}>
                <td>
                  <div class="ak-name">{k.name}</div>
                  <div class="sub mono">{k.key_prefix}…</div>
                  <Show when={k.notes}>
                    <div class="sub" title={k.notes}>
                      {k.notes}
                    </div>
                  </Show>
                </td>
                <td>
                  <span class={`badge ${BADGE[stateOf(k)]}`} data-testid="ak-state">
                    {t(`ak.state.${stateOf(k)}`)}
                  </span>
                  <Show when={k.expires_at}>
                    {(at) => <div class="sub" title={fmtDateTime(at())}>{t('ak.expires')}: {fmtAgo(at())}</div>}
                  </Show>
                </td>
                <td data-testid="ak-usage">
                  <div class="ak-usage">
                  <div class="sub">
                    {t(`ak.period.${k.usage.period}`)}
                    <Show when={k.usage.period_end}>{(end) => <> · {t('ak.resets', { when: fmtWhen(end()) })}</>}</Show>
                  </div>
                  <UsageMeter
                    used={k.usage.tokens}
                    limit={k.token_budget}
                    label={k.token_budget ? `${fmtCompact(k.usage.tokens)} / ${fmtCompact(k.token_budget)}` : t('ak.tokensN', { n: fmtCompact(k.usage.tokens) })}
                    testid="ak-tokens"
                  />
                  <UsageMeter
                    used={k.usage.cost_usd}
                    limit={k.cost_budget_usd}
                    label={k.cost_budget_usd ? `${fmtUsd(k.usage.cost_usd)} / ${fmtUsd(k.cost_budget_usd)}` : fmtUsd(k.usage.cost_usd)}
                    testid="ak-cost"
                  />
                  </div>
                </td>
                <td>
                  <div data-testid="ak-limits">
                    <For each={limitLines(k)}>{(line) => <div>{line}</div>}</For>
                  </div>
                  <div class="sub" title={scopeText(k)}>
                    {scopeText(k)}
                  </div>
                </td>
                <td title={fmtDateTime(k.last_used_at)}>{fmtAgo(k.last_used_at)}</td>
                <td>
                  <div class="row ak-actions">
                    <button class="icon-btn" onClick={() => props.onChart(k)} title={t('ak.chart')} aria-label={t('ak.chart')} data-testid="ak-chart">
                      <Icon name="chart" />
                    </button>
                    <button class="icon-btn" onClick={() => props.onEdit(k)} title={t('common.edit')} aria-label={t('common.edit')} data-testid="ak-edit">
                      <Icon name="edit" />
                    </button>
                    <button class="icon-btn" onClick={() => props.onRotate(k)} title={t('ak.rotate')} aria-label={t('ak.rotate')} data-testid="ak-rotate">
                      <Icon name="refresh" />
                    </button>
                    <button class="btn sm ghost" onClick={() => props.onToggle(k)} data-testid="ak-toggle">
                      {k.enabled ? t('ak.disable') : t('ak.enable')}
                    </button>
                    <button class="icon-btn danger" onClick={() => props.onDelete(k)} title={t('common.delete')} aria-label={t('common.delete')} data-testid="ak-delete">
                      <Icon name="trash" />
                    </button>
                  </div>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  )
}
