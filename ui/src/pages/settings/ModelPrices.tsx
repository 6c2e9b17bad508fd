/** Model prices (USD per million tokens by model pattern): edited as a table, saved as one PUT of the whole list. */
import { createResource, createSignal, For, Show } from 'solid-js'
import { createStore } from 'solid-js/store'
import { api } from '../../api/client'
import { Icon } from '../../components/Icon'
import { t, type MessageKey } from '../../i18n'
import type { ModelPriceList } from '../../api/types'
import { confirmAction } from '../../lib/confirm'
import { attempt, toastError } from '../../lib/toast'
import { PRICE_FIELDS, priceRow, toPrices, type PriceField, type PriceRow } from './model-prices'

const LABELS: Record<PriceField, MessageKey> = {
  input_per_mtok: 'prices.input',
  output_per_mtok: 'prices.output',
  cached_input_per_mtok: 'prices.cachedInput',
  cache_write_per_mtok: 'prices.cacheWrite',
}

export function ModelPrices() {
  const [rows, setRows] = createStore<PriceRow[]>([])
  const [error, setError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [defaultsDate, setDefaultsDate] = createSignal('')
  const show = (list: ModelPriceList) => {
    setRows(list.items.map(priceRow))
    setDefaultsDate(list.defaults_date)
  }
  const [loaded] = createResource(async () => {
    try {
      show(await api.modelPrices.list())
    } catch (err) {
      toastError(err)
    }
    return true
  })

  const save = async () => {
    const result = toPrices(rows)
    if ('error' in result) return setError(result.error)
    setError('')
    setBusy(true)
    const saved = await attempt(() => api.modelPrices.replace(result.prices), t('prices.saved'))
    if (saved) show(saved)
    setBusy(false)
  }

  const reset = async () => {
    if (!(await confirmAction(t('prices.resetConfirm', { date: defaultsDate() })))) return
    setError('')
    const restored = await attempt(() => api.modelPrices.reset(), t('prices.resetDone'))
    if (restored) show(restored)
  }

  return (
    <div class="card" data-testid="model-prices">
      <div class="card-head">
        <h2>{t('prices.title')}</h2>
        <Show when={defaultsDate()}>
          <span class="faint">{t('prices.defaultsDate', { date: defaultsDate() })}</span>
        </Show>
        <span class="spacer" />
        <button class="btn sm ghost" type="button" disabled={busy() || !loaded()} onClick={reset} data-testid="prices-reset">
          {t('prices.reset')}
        </button>
        <button class="btn sm" type="button" onClick={() => setRows(rows.length, priceRow())} data-testid="price-add">
          <Icon name="plus" size={14} />
          {t('prices.add')}
        </button>
        <button class="btn sm primary" type="button" disabled={busy() || !loaded()} onClick={save} data-testid="prices-save">
          {busy() ? t('common.saving') : t('common.save')}
        </button>
      </div>
      <div class="card-body" style={{ 'padding-bottom': '0' }}>
        <p class="muted">{t('prices.hint')}</p>
        <Show when={error()}>
          <div class="field-error" role="alert">
            {error()}
          </div>
        </Show>
      </div>
      <div class="table-wrap">
        <table class="data prices">
          <thead>
            <tr>
              <th>{t('prices.model')}</th>
              <For each={PRICE_FIELDS}>{(f) => <th style={{ width: '15%' }}>{t(LABELS[f])}</th>}</For>
              <th style={{ width: '48px' }} />
            </tr>
          </thead>
          <tbody>
            <For each={rows}>
              {(r, i) => (
                <tr data-testid="price-row">
                  <td>
                    <input class="mono" value={r.model} onInput={(e) => setRows(i(), 'model', e.currentTarget.value)} aria-label={t('prices.model')} data-testid="price-model" />
                  </td>
                  <For each={PRICE_FIELDS}>
                    {(f) => (
                      <td>
                        <input
                          type="number"
                          min="0"
                          step="any"
                          value={r[f]}
                          onInput={(e) => setRows(i(), f, e.currentTarget.value)}
                          aria-label={`${r.model} ${t(LABELS[f])}`}
                          data-testid={`price-${f}`}
                        />
                      </td>
                    )}
                  </For>
                  <td>
                    <button type="button" class="icon-btn danger" onClick={() => setRows((l) => l.filter((x) => x.id !== r.id))} aria-label={t('common.remove')}>
                      <Icon name="trash" />
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  )
}
