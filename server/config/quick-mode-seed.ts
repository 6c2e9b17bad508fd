/**
 * Quick mode's seeding (GPT-Load's first generation): `KEYS_FILE` + `OPENAI_BASE_URL` create or update the group
 * `default` at start and import the file's keys. It runs at start-up, before the pool loads; the routes that serve
 * the group without prefix (`/v1/...`, `/stats`, …) are the proxy's (server/proxy/quick-mode.ts).
 */
import { readFileSync } from 'node:fs'
import { newGroup } from '../../db/new-group'
import type { Group, Store } from '../../db/types'
import { parseSendableKeyList } from '../shared/key-list'
import { log } from '../shared/logger'
import type { Env } from './env'

export const QUICK_GROUP = 'default'
const QUICK_MODELS = ['*']

/** Create or update the `default` group from the env and import the keys file. Returns the group. */
export async function setupQuickMode(env: Env, store: Store): Promise<Group | null> {
  if (!env.keysFile) return null
  let text: string
  try {
    text = readFileSync(env.keysFile, 'utf8')
  } catch (err) {
    throw new Error(`KEYS_FILE: cannot read ${env.keysFile}: ${(err as Error).message}`)
  }
  const keys = parseSendableKeyList(text, 'KEYS_FILE')
  const config: Record<string, unknown> = {}
  if (env.maxRetries !== undefined) config.max_retries = env.maxRetries
  if (env.blacklistThreshold !== undefined) config.blacklist_threshold = env.blacklistThreshold
  const fields = {
    channel_type: 'openai' as const,
    upstreams: env.openaiBaseUrl.map((url) => ({ url, weight: 1 })),
    config,
  }
  let group = await store.getGroupByName(QUICK_GROUP)
  // quick mode's group serves every model on the root routes; an operator's own list is kept
  if (group) group = (await store.updateGroup(group.id, group.models.length ? fields : { ...fields, models: QUICK_MODELS })) ?? group
  else
    group = await store.createGroup(
      newGroup(QUICK_GROUP, { display_name: 'Default (quick mode)', description: `Keys from ${env.keysFile}`, models: QUICK_MODELS, ...fields }),
    )
  const r = await store.addKeys(group.id, keys)
  log.info(`quick mode: group "${QUICK_GROUP}" has ${r.total_in_group} keys (${r.added_count} added from ${env.keysFile})`)
  return group
}
