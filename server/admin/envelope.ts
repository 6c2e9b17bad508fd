/** The success envelope of DESIGN.md and the list shape every paged route answers with. */
import type { Envelope, PagedOf } from './schemas'

export function ok<T>(data: T): Envelope<T> {
  return { code: 0, message: 'Success', data }
}

export function paged<T>(items: T[], total: number, page: number, pageSize: number): PagedOf<T> {
  return {
    items,
    pagination: { page, page_size: pageSize, total_items: total, total_pages: Math.ceil(total / pageSize) },
  }
}

/** Page and page size from a query, with GPT-Load's defaults. */
export function pageOf(q: { page?: number; page_size?: number }): { page: number; page_size: number } {
  return { page: q.page ?? 1, page_size: q.page_size ?? 20 }
}
