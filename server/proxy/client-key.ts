/** Proxy-key check. Where a client puts its key is the channels' knowledge: server/channels/credentials.ts. */
export { readClientKey } from '../channels/credentials'

/** Set lookups hash the whole key first, so response time does not reveal how much of a guess matched. */
export function keyAllowed(key: string | null, global: ReadonlySet<string>, group: ReadonlySet<string>): boolean {
  return key !== null && (global.has(key) || group.has(key))
}
