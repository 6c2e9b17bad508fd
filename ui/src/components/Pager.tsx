import { For } from 'solid-js'
import type { Pagination } from '../api/types'
import { t } from '../i18n'
import { fmtInt } from '../lib/format'

export const PAGE_SIZES = [20, 50, 100, 200]

export function Pager(props: { pagination: Pagination | undefined; onPage: (page: number) => void; onPageSize: (size: number) => void }) {
  const p = () => props.pagination ?? { page: 1, page_size: 50, total_items: 0, total_pages: 0 }
  return (
    <div class="pager">
      <span class="muted">{t('common.total', { n: fmtInt(p().total_items) })}</span>
      <select value={p().page_size} onChange={(e) => props.onPageSize(Number(e.currentTarget.value))} aria-label="page size">
        <For each={PAGE_SIZES}>{(n) => <option value={n}>{t('common.perPage', { n })}</option>}</For>
      </select>
      <button class="btn ghost sm" disabled={p().page <= 1} onClick={() => props.onPage(p().page - 1)}>
        {t('common.prev')}
      </button>
      <span>{t('common.page', { page: fmtInt(p().page), pages: fmtInt(Math.max(1, p().total_pages)) })}</span>
      <button class="btn ghost sm" disabled={p().page >= p().total_pages} onClick={() => props.onPage(p().page + 1)}>
        {t('common.next')}
      </button>
    </div>
  )
}
