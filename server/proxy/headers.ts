/**
 * Header plumbing between client and upstream.
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy ones RFC 7230 named) belong to one connection and are
 * never forwarded. (The client's credentials are removed with the pool key's injection: withPoolKey.)
 */
import type { HeaderRule } from '../../db/types'
import { scrubHeaders } from '../shared/scrub'

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]

export function upstreamRequestHeaders(client: Headers): Headers {
  const h = new Headers(client)
  const listed = h.get('connection')
  if (listed) for (const name of listed.split(',')) h.delete(name.trim())
  for (const name of HOP_BY_HOP) h.delete(name)
  h.delete('host')
  // fetch sets it from the body we pass; a stale one would corrupt the request after body rewrites
  h.delete('content-length')
  return h
}

/** The upstream's answer headers for the client: no hop-by-hop ones, and none quoting the pool key `key` used. */
export function clientResponseHeaders(upstream: Headers, key: string): Headers {
  const scrubbed = scrubHeaders(upstream, key)
  // Most answers carry none of them: then the upstream's headers are used as they are (Response copies them).
  if (!HOP_BY_HOP.some((name) => scrubbed.has(name))) return scrubbed
  const h = new Headers(scrubbed)
  const listed = h.get('connection')
  if (listed) for (const name of listed.split(',')) h.delete(name.trim())
  for (const name of HOP_BY_HOP) h.delete(name)
  return h
}

export interface HeaderRuleVars {
  CLIENT_IP: string
  GROUP_NAME: string
  API_KEY: string
  REQUEST_ID: string
}

const VAR = /\$\{(CLIENT_IP|GROUP_NAME|API_KEY|REQUEST_ID|TIMESTAMP_MS|TIMESTAMP_S)\}/g

/** Apply a group's header rules after the key was injected (so a rule may also set a custom auth header). */
export function applyHeaderRules(headers: Headers, rules: HeaderRule[], vars: HeaderRuleVars): void {
  for (const rule of rules) {
    if (rule.action === 'remove') {
      headers.delete(rule.key)
      continue
    }
    const value = rule.value.includes('${')
      ? rule.value.replace(VAR, (_, name: string) => {
          if (name === 'TIMESTAMP_MS') return String(Date.now())
          if (name === 'TIMESTAMP_S') return String(Math.floor(Date.now() / 1000))
          return vars[name as keyof HeaderRuleVars]
        })
      : rule.value
    headers.set(rule.key, value)
  }
}
