/**
 * Which groups and models a caller of the root routes (/v1/*, /v1beta/*) may reach. A global proxy key reaches
 * every group; a group's own proxy key reaches that group (every group that lists it). Access keys bring their own
 * scope through `ProxyDeps.callerScope` (filled by the access-key admission when it is wired), which is asked first.
 */
import type { RuntimeGroups } from './runtime-groups'

export interface CallerScope {
  /** group names the caller may use, or every group */
  groups: 'all' | ReadonlySet<string>
  /** models the caller may ask for, or every model */
  models: 'all' | ((model: string) => boolean)
}

/** The access-key hook: a scope for a key it knows, null for a key that is not an access key. */
export type AccessScopeLookup = (key: string) => CallerScope | null

export const EVERYTHING: CallerScope = { groups: 'all', models: 'all' }

/** null: the key is none of ours (the caller gets 401). */
export function scopeOf(runtime: RuntimeGroups, key: string | null, access?: AccessScopeLookup): CallerScope | null {
  if (key === null) return null
  const fromAccess = access?.(key)
  if (fromAccess) return fromAccess
  if (runtime.globalProxyKeys.has(key)) return EVERYTHING
  const groups = new Set<string>()
  for (const rg of runtime.all()) if (rg.proxyKeys.has(key)) groups.add(rg.group.name)
  return groups.size > 0 ? { groups, models: 'all' } : null
}

export function scopeAllowsGroup(scope: CallerScope, name: string): boolean {
  return scope.groups === 'all' || scope.groups.has(name)
}

export function scopeAllowsModel(scope: CallerScope, model: string): boolean {
  return scope.models === 'all' || scope.models(model)
}
