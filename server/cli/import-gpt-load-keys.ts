/**
 * Keys phase: GPT-Load's keys, read in id order and decrypted, go into the keypool group their group maps to. A
 * key whose hash the keypool group already holds is skipped untouched; a new one keeps its state, notes and
 * counters from GPT-Load.
 */
import type { KeyStateUpdate, KeyStatus } from '../../db/types'
import { type ImportContext, ImportError, presentColumns } from './import-gpt-load-context'
import type { GptLoadKeyReader } from './import-gpt-load-crypto'
import type { GptLoadSource } from './import-gpt-load-source'
import { int, keyStatus, text, time } from './import-gpt-load-map'

const KEY_COLUMNS = ['id', 'group_id', 'key_value', 'key_hash', 'status', 'notes', 'request_count', 'failure_count', 'last_used_at']
const PAGE = 1000

interface NewKeyState {
  status: KeyStatus
  notes: string
  failure_count: number
  request_count: number
  last_used_at: number | null
}

interface GroupKeys {
  /** keypool key hashes already in the group, and those this run adds */
  hashes: Set<string>
  /** state of the keys this run adds, by keypool hash */
  added: Map<string, NewKeyState>
}

/** Refuses before anything is written when the first stored key cannot be read with the key given (or none). */
export async function checkEncryptionKey(source: GptLoadSource, reader: GptLoadKeyReader): Promise<void> {
  const have = await source.columns('api_keys')
  const cols = ['id', 'key_value', 'key_hash'].filter((c) => have.has(c))
  const [first] = await source.select('api_keys', cols, { orderBy: ['id'], limit: 1 })
  if (!first || reader.reveal(text(first.key_value), first.key_hash === undefined ? null : text(first.key_hash)) !== null) return
  throw new ImportError(
    reader.encrypted
      ? "the stored keys do not decrypt with --encryption-key: give GPT-Load's ENCRYPTION_KEY"
      : "the stored keys are encrypted: give GPT-Load's ENCRYPTION_KEY with --encryption-key",
  )
}

export async function importKeys(ctx: ImportContext): Promise<void> {
  const cols = await presentColumns(ctx, 'api_keys', KEY_COLUMNS)
  ctx.progress.start('keys', await ctx.source.count('api_keys'))
  const groups = new Map<number, GroupKeys>()
  let undecryptable = 0
  let orphans = 0
  for (let lastId = 0; ; ) {
    const rows = await ctx.source.select('api_keys', cols, { where: `id > ${lastId}`, orderBy: ['id'], limit: PAGE })
    if (rows.length === 0) break
    lastId = int(rows.at(-1)!.id)
    const batches = new Map<number, string[]>()
    for (const row of rows) {
      const groupId = ctx.groupIds.get(int(row.group_id))
      const gptHash = row.key_hash === undefined ? null : text(row.key_hash)
      const plain = ctx.reader.reveal(text(row.key_value), gptHash)
      if (plain !== null && gptHash) ctx.plainByGptHash.set(gptHash, plain)
      if (groupId === undefined || plain === null || plain.trim() === '') {
        ctx.summary.keys.failed++
        if (groupId === undefined) orphans++
        else undecryptable++
        continue
      }
      const group = groups.get(groupId) ?? (await loadGroup(ctx, groupId, groups))
      const hash = ctx.store.cipher.hash(plain.trim())
      if (group.hashes.has(hash)) {
        ctx.summary.keys.skipped++
        continue
      }
      group.hashes.add(hash)
      group.added.set(hash, {
        status: keyStatus(row.status),
        notes: text(row.notes),
        failure_count: int(row.failure_count),
        request_count: int(row.request_count),
        last_used_at: time(row.last_used_at, ctx.source.localTimes),
      })
      const batch = batches.get(groupId) ?? []
      batch.push(plain.trim())
      batches.set(groupId, batch)
    }
    for (const [groupId, keys] of batches) {
      const r = await ctx.store.addKeys(groupId, keys)
      ctx.summary.keys.imported += r.added_count
      ctx.summary.keys.skipped += r.ignored_count
    }
    ctx.progress.advance(rows.length)
  }
  for (const [groupId, group] of groups) await applyStates(ctx, groupId, group)
  ctx.progress.finish()
  if (orphans > 0) ctx.notes.push(`${orphans} key(s) belong to a group that was not imported`)
  if (undecryptable > 0) ctx.notes.push(`${undecryptable} key(s) could not be decrypted with the encryption key given`)
}

async function loadGroup(ctx: ImportContext, groupId: number, groups: Map<number, GroupKeys>): Promise<GroupKeys> {
  const hashes = new Set<string>()
  for (const k of await ctx.store.groupKeys(groupId)) {
    hashes.add(k.key_hash)
    ctx.keyIds.set(`${groupId}:${k.key_hash}`, k.id)
  }
  const group = { hashes, added: new Map<string, NewKeyState>() }
  groups.set(groupId, group)
  return group
}

/** New keys arrive active with zero counters: give them what they had in GPT-Load. */
async function applyStates(ctx: ImportContext, groupId: number, group: GroupKeys): Promise<void> {
  if (group.added.size === 0) return
  const updates: KeyStateUpdate[] = []
  for (const k of await ctx.store.groupKeys(groupId)) {
    ctx.keyIds.set(`${groupId}:${k.key_hash}`, k.id)
    const state = group.added.get(k.key_hash)
    if (!state) continue
    const u: KeyStateUpdate = { id: k.id }
    if (state.status !== 'active') u.status = state.status
    if (state.failure_count > 0) u.failure_count = state.failure_count
    if (state.request_count > 0) u.requests = state.request_count
    if (state.last_used_at !== null) u.last_used_at = state.last_used_at
    if (Object.keys(u).length > 1) updates.push(u)
    if (state.notes.trim() !== '') await ctx.store.setKeyNotes(k.id, state.notes)
  }
  for (let i = 0; i < updates.length; i += PAGE) await ctx.store.applyKeyUpdates(updates.slice(i, i + PAGE))
}
