/**
 * The proxy's side of access keys (the rules are server/access/*): a caller's key is a proxy key (unlimited, as in
 * GPT-Load) or an access key; an access key is checked before the group is looked at (enabled, expiry, address,
 * group scope), then, once the body is read, for its model and its counters. Refusals in the channel's native JSON.
 */
import type { CompiledAccessKey } from '../access/compiled'
import { isRefusal, type AccessControl, type AccessTicket } from '../access/control'
import type { Refusal } from '../access/refusal'
import type { Channel } from '../channels/types'
import type { CallerScope } from './caller-scope'
import { sniffModel } from './body-rules'
import { keyAllowed } from './client-key'
import { nativeError } from './native-error'
import type { RequestRecord } from './request-record'
import type { RuntimeGroup } from './runtime-groups'
import type { ProxyDeps, ProxyRequest } from './types'

const NO_KEYS: ReadonlySet<string> = new Set()

/** A proxy key: 'proxy'; an access key allowed so far: the key; otherwise the refusal. */
export type Caller = 'proxy' | CompiledAccessKey | Refusal

export function identifyCaller(d: ProxyDeps, key: string | null, group: RuntimeGroup | undefined, p: ProxyRequest): Caller {
  if (keyAllowed(key, d.runtime.globalProxyKeys, group?.proxyKeys ?? NO_KEYS)) return 'proxy'
  const access = d.access?.find(key)
  if (!access) return { status: 401, message: 'invalid or missing proxy key', code: 'invalid_api_key' }
  return d.access!.check(access, p.groupName, p.ip) ?? access
}

/** The root routes' scope of an access key: its groups and model globs; null when the key is not an access key. */
export function accessKeyScope(access: AccessControl | null | undefined, key: string): CallerScope | null {
  const k = access?.find(key)
  if (!k) return null
  const models = k.models
  return { groups: k.groups ?? 'all', models: models ? (m) => models.test(m) : 'all' }
}

/** An admitted caller's access key with the control that checks it further. */
export interface AccessCaller {
  key: CompiledAccessKey
  control: AccessControl
}

export function isAccessKey(c: Caller): c is CompiledAccessKey {
  return typeof c === 'object' && 'row' in c
}

export function refusalResponse(channel: Channel, r: Refusal): Response {
  return nativeError(channel, r.status, r.message, r.code, r.headers)
}

/**
 * The model check (the body is parsed only for a key with model globs) and the counters' admission. On success the
 * record carries the ticket, so the finished answer debits its tokens; on refusal the record is finished.
 */
export function admitAccessKey(
  { key: k, control: access }: AccessCaller,
  group: RuntimeGroup,
  rec: RequestRecord,
  model: () => string | null,
): Response | null | Promise<Response | null> {
  rec.accessKeyId = k.row.id
  const refusal = access.checkModel(k, k.models ? model() : null) ?? null
  if (refusal) return admitted(k, group, rec, refusal)
  const r = access.admit(k)
  return r instanceof Promise ? r.then((v) => admitted(k, group, rec, v)) : admitted(k, group, rec, r)
}

function admitted(k: CompiledAccessKey, group: RuntimeGroup, rec: RequestRecord, r: AccessTicket | Refusal): Response | null {
  if (isRefusal(r)) {
    rec.finish(r.status, false, r.message)
    return refusalResponse(group.channel, r)
  }
  rec.access = r
  // TPM and budgets are debited from the answer's usage: a stream must carry it
  rec.needsUsage = k.row.tpm_limit > 0 || k.budgeted
  return null
}

/** The model a request names, as the client sent it (before any redirect rule). */
export function requestModel(group: RuntimeGroup, path: string, body: Uint8Array | null): string | null {
  return sniffModel(group.channel, path, body)
}
