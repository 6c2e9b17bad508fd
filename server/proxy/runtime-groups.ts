/**
 * What the proxy needs of each group, precomputed: the channel, the upstream selector and circuits, the set of
 * proxy keys, compiled rules and the resolved settings (group > system). Rebuilt when a group or a setting changes,
 * so a request only does map lookups.
 */
import type { Group } from '../../db/types'
import { getChannel } from '../channels'
import type { Channel } from '../channels/types'
import type { GroupCache } from '../config/group-cache'
import { parseStatusRanges, type SettingsService } from '../config/settings'
import type { SettingValues } from '../config/settings-schema'
import { needsRewrite, type BodyRules } from './body-rules'
import { Circuit } from './circuit'
import { modelMatcher, type ModelMatcher } from './model-glob'
import { SmoothWeighted } from './upstream-select'

export interface RuntimeUpstream {
  url: string
  /** base URL without a trailing slash */
  base: string
  circuit: Circuit
}

export interface RuntimeGroup {
  group: Group
  channel: Channel
  upstreams: SmoothWeighted<RuntimeUpstream>
  /** for aggregate groups: weighted sub-groups (by id), one selector per priority tier, first tier first */
  subTiers: SmoothWeighted<number>[] | null
  /** the group's `models`: which models the root routes may send it; null = none (only /proxy/{name}) */
  serves: ModelMatcher | null
  proxyKeys: Set<string>
  bodyRules: BodyRules
  needsBody: boolean
  settings: SettingValues
  failover: ((status: number) => boolean) | null
}

export function splitKeys(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((k) => k.trim())
    .filter(Boolean)
}

export class RuntimeGroups {
  private byName = new Map<string, RuntimeGroup>()
  private byId = new Map<number, RuntimeGroup>()
  private circuits = new Map<string, Circuit>()
  globalProxyKeys = new Set<string>()

  constructor(
    private readonly groups: GroupCache,
    private readonly settings: SettingsService,
    /** a cluster node's read-your-writes: apply config changes other nodes made that have not arrived yet */
    private readonly catchUpHook?: () => Promise<void> | undefined,
  ) {
    this.rebuild()
    groups.onChange(() => this.rebuild())
    settings.onChange(() => this.rebuild())
  }

  get(name: string): RuntimeGroup | undefined {
    return this.byName.get(name)
  }

  /** Before a name is refused as unknown: another node may have just created it. */
  async catchUp(): Promise<void> {
    await this.catchUpHook?.()
  }

  getById(id: number): RuntimeGroup | undefined {
    return this.byId.get(id)
  }

  all(): IterableIterator<RuntimeGroup> {
    return this.byName.values()
  }

  rebuild(): void {
    const byName = new Map<string, RuntimeGroup>()
    const byId = new Map<number, RuntimeGroup>()
    for (const g of this.groups.all()) {
      const rg = this.build(g)
      if (!rg) continue
      byName.set(g.name, rg)
      byId.set(g.id, rg)
    }
    this.byName = byName
    this.byId = byId
    this.globalProxyKeys = new Set(splitKeys(this.settings.get().proxy_keys))
  }

  private build(g: Group): RuntimeGroup | null {
    let channel: Channel
    try {
      channel = getChannel(g.channel_type)
    } catch {
      return null
    }
    const settings = this.settings.forGroup(g.config)
    let failover: ((s: number) => boolean) | null = null
    try {
      failover = parseStatusRanges(settings.failover_status_codes)
    } catch {
      failover = null
    }
    const upstreams = new SmoothWeighted(
      g.upstreams.map((u) => {
        // Circuits survive rebuilds so an edit elsewhere in the group does not forget a dead upstream.
        let circuit = this.circuits.get(u.url)
        if (!circuit) this.circuits.set(u.url, (circuit = new Circuit()))
        return { target: { url: u.url, base: u.url.replace(/\/+$/, ''), circuit }, weight: u.weight }
      }),
    )
    const bodyRules: BodyRules = {
      paramOverrides: g.param_overrides ?? {},
      redirects: g.model_redirect_rules ?? {},
      strict: g.model_redirect_strict,
    }
    return {
      group: g,
      channel,
      upstreams,
      subTiers: g.group_type === 'aggregate' ? subGroupTiers(g) : null,
      serves: modelMatcher(g.models),
      proxyKeys: new Set(splitKeys(g.proxy_keys ?? '')),
      bodyRules,
      needsBody: needsRewrite(bodyRules),
      settings,
      failover,
    }
  }
}

function subGroupTiers(g: Group): SmoothWeighted<number>[] {
  const tiers = new Map<number, { target: number; weight: number }[]>()
  for (const s of g.sub_groups) {
    const p = s.priority ?? 1
    let tier = tiers.get(p)
    if (!tier) tiers.set(p, (tier = []))
    tier.push({ target: s.group_id, weight: s.weight })
  }
  return [...tiers].sort(([a], [b]) => a - b).map(([, subs]) => new SmoothWeighted(subs))
}
