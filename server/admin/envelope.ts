/** The success envelope (docs/architecture.md, "Admin API conventions") and the list shape every paged route answers with. */
import { validationError } from '../shared/errors'
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

/** An integer query value within bounds, or a VALIDATION_ERROR naming the field. */
export function intIn(field: string, v: number | undefined, min: number, max: number, def: number): number {
  if (v === undefined) return def
  if (!Number.isInteger(v) || v < min || v > max) throw validationError(`${field} must be an integer from ${min} to ${max}`)
  return v
}

/** Page and page size from a query, with GPT-Load's defaults. */
export function pageOf(q: { page?: number; page_size?: number }): { page: number; page_size: number } {
  return { page: intIn('page', q.page, 1, 1_000_000, 1), page_size: intIn('page_size', q.page_size, 1, 1000, 20) }
}
