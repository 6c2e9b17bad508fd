/**
 * `keypool import gpt-load --dsn DSN [--encryption-key K] [--with-logs]`: copies a GPT-Load 1.x database (SQLite,
 * PostgreSQL or MySQL/MariaDB) into keypool's store: groups, aggregate groups' sub-groups, keys (decrypted, with
 * their states, notes and counters), system settings, proxy keys, and with --with-logs the request logs.
 * Groups are matched by name and keys by hash, logs by a saved cursor, so running it again adds only what is new.
 * Loaded only by this command (run.ts imports it on demand).
 */
import type { OpenedStore } from '../../db/open'
import { type ImportContext, ImportError } from './import-gpt-load-context'
import { gptLoadKeyReader } from './import-gpt-load-crypto'
import { importGroups } from './import-gpt-load-groups'
import { checkEncryptionKey, importKeys } from './import-gpt-load-keys'
import { importLogs } from './import-gpt-load-logs'
import { emptySummary, Progress, type ProgressOptions, type Summary } from './import-gpt-load-progress'
import { importSettings } from './import-gpt-load-settings'
import { openGptLoadSource } from './import-gpt-load-source'

export { ImportError } from './import-gpt-load-context'
export { SourceError } from './import-gpt-load-source'

export interface ImportGptLoadOptions {
  dsn: string
  /** GPT-Load's ENCRYPTION_KEY; undefined when it ran without one */
  encryptionKey?: string
  withLogs: boolean
  /** keypool's store; opened only once the source is known to be GPT-Load's and its keys readable */
  openStore: () => Promise<OpenedStore>
  progress: ProgressOptions
  /** base of a relative SQLite path */
  cwd?: string
}

export interface ImportGptLoadResult {
  source: string
  summary: Summary
  notes: string[]
}

export async function importGptLoad(opts: ImportGptLoadOptions): Promise<ImportGptLoadResult> {
  const source = await openGptLoadSource(opts.dsn, opts.cwd)
  try {
    const tables = await source.columns('groups')
    const keyTable = await source.columns('api_keys')
    if (!tables.has('name') || !keyTable.has('key_value')) {
      throw new ImportError(`${source.label} has no GPT-Load tables (groups, api_keys): is it GPT-Load's database?`)
    }
    const reader = gptLoadKeyReader(opts.encryptionKey)
    await checkEncryptionKey(source, reader)
    const store = await opts.openStore()
    const ctx: ImportContext = {
      source,
      store,
      reader,
      progress: new Progress(opts.progress),
      summary: emptySummary(),
      notes: [],
      groupIds: new Map(),
      plainByGptHash: new Map(),
      keyIds: new Map(),
    }
    try {
      await importGroups(ctx)
      await importKeys(ctx)
      await importSettings(ctx)
      if (opts.withLogs) await importLogs(ctx)
      else ctx.notes.push('request logs not imported (add --with-logs to import them)')
    } finally {
      await store.close()
    }
    return { source: source.label, summary: ctx.summary, notes: ctx.notes }
  } finally {
    await source.close()
  }
}

export function failedAny(summary: Summary): boolean {
  return Object.values(summary).some((t) => t.failed > 0)
}
