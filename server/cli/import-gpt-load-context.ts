/** What the phases of `keypool import gpt-load` share: the source, the target store, the maps between their ids. */
import type { OpenedStore } from '../../db/open'
import type { GptLoadKeyReader } from './import-gpt-load-crypto'
import type { Progress, Summary } from './import-gpt-load-progress'
import type { GptLoadSource } from './import-gpt-load-source'

export interface ImportContext {
  source: GptLoadSource
  store: OpenedStore
  reader: GptLoadKeyReader
  progress: Progress
  summary: Summary
  /** lines for the end of the summary: what was dropped or kept, and why */
  notes: string[]
  /** GPT-Load group id -> keypool group id, for every group that exists in keypool after the groups phase */
  groupIds: Map<number, number>
  /** GPT-Load key_hash -> plain key, to read log rows without decrypting each */
  plainByGptHash: Map<string, string>
  /** `${keypool group id}:${keypool key hash}` -> keypool key id, for log rows */
  keyIds: Map<string, number>
}

export class ImportError extends Error {}

/** Rows of a table page by page in a stable order (the source should not change while we read it). */
export async function* pages(
  ctx: ImportContext,
  table: string,
  cols: string[],
  orderBy: string[],
  pageSize = 1000,
): AsyncGenerator<Record<string, unknown>[]> {
  for (let offset = 0; ; offset += pageSize) {
    const rows = await ctx.source.select(table, cols, { orderBy, limit: pageSize, offset })
    if (rows.length > 0) yield rows
    if (rows.length < pageSize) return
  }
}

/** The wanted columns that the table has (older GPT-Load versions lack some). */
export async function presentColumns(ctx: ImportContext, table: string, wanted: string[]): Promise<string[]> {
  const have = await ctx.source.columns(table)
  return wanted.filter((c) => have.has(c))
}
