/**
 * The groups a routed request may go to, in the order they are tried: groups the caller may use, whose `models`
 * match and whose channel speaks the caller's protocol (natively, or through protocol translation); lowest `priority` first; inside one priority, the first
 * group is chosen by smooth weighted round-robin over the groups' `weight` (so load spreads across requests) and the
 * others follow by weight.
 */
import { scopeAllowsGroup, scopeAllowsModel, type CallerScope } from './caller-scope'
import type { RootCall } from './root-protocol'
import { translationInto, type TranslationPlan } from './translation-plan'
import type { RuntimeGroup, RuntimeGroups } from './runtime-groups'
import { SmoothWeighted } from './upstream-select'

export interface Candidate {
  rg: RuntimeGroup
  /** position of its tier among this request's tiers, from 1 (2+ = a fallback tier) */
  tier: number
  /** set when the group speaks another protocol: the call is translated for it */
  translation: TranslationPlan | null
}

/** How `rg` serves this call: natively (null), translated (the plan), or not at all (undefined). */
export function servesCall(rg: RuntimeGroup, call: RootCall): TranslationPlan | null | undefined {
  if (call.native.includes(rg.channel.type)) return null
  return (call.translatable && translationInto(rg, call.translatable)) || undefined
}

export function speaks(rg: RuntimeGroup, call: RootCall): boolean {
  return servesCall(rg, call) !== undefined
}

export function reachable(rg: RuntimeGroup, scope: CallerScope): boolean {
  return rg.serves !== null && rg.group.weight > 0 && scopeAllowsGroup(scope, rg.group.name)
}

export function candidatesFor(
  runtime: RuntimeGroups,
  rotation: TierRotation,
  call: RootCall,
  model: string,
  scope: CallerScope,
): Candidate[] {
  if (!scopeAllowsModel(scope, model)) return []
  const byPriority = new Map<number, RuntimeGroup[]>()
  for (const rg of runtime.all()) {
    if (!reachable(rg, scope) || !speaks(rg, call) || !rg.serves!(model)) continue
    const p = rg.group.priority
    let tier = byPriority.get(p)
    if (!tier) byPriority.set(p, (tier = []))
    tier.push(rg)
  }
  const out: Candidate[] = []
  const priorities = [...byPriority.keys()].sort((a, b) => a - b)
  priorities.forEach((p, i) => {
    for (const rg of rotation.order(byPriority.get(p)!)) out.push({ rg, tier: i + 1, translation: servesCall(rg, call) ?? null })
  })
  return out
}

const MAX_ROTATIONS = 1000

/** One weighted round-robin per distinct set of groups in a tier, kept across requests. */
export class TierRotation {
  private readonly rotations = new Map<string, SmoothWeighted<string>>()

  order(groups: RuntimeGroup[]): RuntimeGroup[] {
    if (groups.length < 2) return groups
    const byWeight = [...groups].sort((a, b) => b.group.weight - a.group.weight || a.group.name.localeCompare(b.group.name))
    const id = byWeight.map((g) => `${g.group.name}:${g.group.weight}`).join(',')
    let rotation = this.rotations.get(id)
    if (!rotation) {
      // the sets seen are few (one per model family and tier); a config with very many simply starts over
      if (this.rotations.size >= MAX_ROTATIONS) this.rotations.clear()
      rotation = new SmoothWeighted(byWeight.map((g) => ({ target: g.group.name, weight: g.group.weight })))
      this.rotations.set(id, rotation)
    }
    const first = rotation.pick()
    return [...byWeight.filter((g) => g.group.name === first), ...byWeight.filter((g) => g.group.name !== first)]
  }
}
