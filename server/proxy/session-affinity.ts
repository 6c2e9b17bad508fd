/**
 * Session affinity (group setting `session_affinity`): requests of one session go to the key that served it before,
 * while that key stays usable, so provider-side prompt caches are hit. The session is the `x-session-id` header, else
 * OpenAI's `user` or Anthropic's `metadata.user_id` in the body. The map lives in this process, bounded per group
 * (least recently used sessions leave first); in a cluster each node keeps its own, and the pool (Redis) says
 * whether the pinned key is still usable.
 */

export interface StickyKey {
  /** the group that holds the key (a sub-group for an aggregate) */
  groupId: number
  keyId: number
}

const SESSIONS_PER_GROUP = 10_000
const MAX_SESSION_ID = 256
const decoder = new TextDecoder()

export class SessionAffinity {
  private readonly groups = new Map<number, Map<string, StickyKey>>()

  constructor(private readonly perGroup = SESSIONS_PER_GROUP) {}

  get(groupId: number, session: string): StickyKey | undefined {
    const sessions = this.groups.get(groupId)
    const hit = sessions?.get(session)
    if (hit && sessions) {
      // a Map keeps insertion order: moving a hit to the end makes the first entry the least recently used
      sessions.delete(session)
      sessions.set(session, hit)
    }
    return hit
  }

  set(groupId: number, session: string, key: StickyKey): void {
    let sessions = this.groups.get(groupId)
    if (!sessions) this.groups.set(groupId, (sessions = new Map()))
    sessions.delete(session)
    sessions.set(session, key)
    if (sessions.size > this.perGroup) sessions.delete(sessions.keys().next().value!)
  }
}

/** The session a request belongs to; `parsed` is the JSON body when the caller already has it. */
export function sessionOf(headers: Headers, body: Uint8Array | null, parsed?: unknown): string | null {
  const header = headers.get('x-session-id')
  if (header) return header.slice(0, MAX_SESSION_ID)
  let json = parsed
  if (json === undefined) {
    if (!body || body.byteLength === 0 || body.byteLength > 4_194_304) return null
    try {
      json = JSON.parse(decoder.decode(body))
    } catch {
      return null
    }
  }
  if (!json || typeof json !== 'object') return null
  const o = json as { user?: unknown; metadata?: { user_id?: unknown } | null }
  const id = typeof o.user === 'string' ? o.user : typeof o.metadata?.user_id === 'string' ? o.metadata.user_id : null
  return id ? `user:${id.slice(0, MAX_SESSION_ID)}` : null
}
