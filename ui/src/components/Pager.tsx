/** Server-side paging: total, page size, previous/next and a page number box (2,000 pages are not clicked through). */
import { For } from 'solid-js'
import type { Pagination } from '../api/types'
import { t } from '../i18n'
import { fmtInt } from '../lib/format'

export const PAGE_SIZES = [20, 50, 100, 200]

export function Pager(props: { pagination: Pagination | undefined; onPage: (page: number) => void; onPageSize: (size: number) => void }) {
  const p = () => props.pagination ?? { page: 1, page_size: 50, total_items: 0, total_pages: 0 }
  const pages = () => Math.max(1, p().total_pages)
  // "Page {page} of {pages}" in any language: the page number becomes an input where {page} stands.
  const around = () => {
    const [before = '', after = ''] = t('common.page').split('{page}')
    return { before, after: after.replace('{pages}', fmtInt(pages())) }
  }
  const go = (input: HTMLInputElement) => {
    const wanted = Math.min(pages(), Math.max(1, Math.trunc(Number(input.value)) || 1))
    input.value = String(wanted)
    if (wanted !== p().page) props.onPage(wanted)
  }
  return (
    <div class="pager" data-testid="pager">
      <span class="muted" data-testid="pager-total">
        {t('common.total', { n: fmtInt(p().total_items) })}
      </span>
      <select value={p().page_size} onChange={(e) => props.onPageSize(Number(e.currentTarget.value))} aria-label={t('common.pageSize')}>
        <For each={PAGE_SIZES}>{(n) => <option value={n}>{t('common.perPage', { n })}</option>}</For>
      </select>
      <button class="btn ghost sm" disabled={p().page <= 1} onClick={() => props.onPage(p().page - 1)}>
        {t('common.prev')}
      </button>
      <label class="pager-page">
        {around().before}
        <input
          type="number"
          min="1"
          max={pages()}
          value={p().page}
          aria-label={t('common.pageNumber')}
          style={{ width: `${Math.max(3, String(pages()).length) + 3}ch` }}
          onChange={(e) => go(e.currentTarget)}
          onKeyDown={(e) => e.key === 'Enter' && go(e.currentTarget)}
          data-testid="pager-page"
        />
        {around().after}
      </label>
      <button class="btn ghost sm" disabled={p().page >= p().total_pages} onClick={() => props.onPage(p().page + 1)}>
        {t('common.next')}
      </button>
    </div>
  )
}
