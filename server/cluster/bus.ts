/**
 * Config-change bus over Redis pub/sub: a node that changed groups, keys or settings publishes what changed, the
 * others reload it. Pub/sub is fire-and-forget, so every message carries a version from one Redis counter; a node
 * that sees a hole in the versions, or whose subscriber connection dropped, reloads everything (resync).
 */
import { duplicateRedis, type RedisClient } from './redis-client'
import { LuaScript } from './script'
import type { ClusterLog } from './types'

export type ConfigMessage =
  | { type: 'groups'; ids: number[] | 'all' }
  | { type: 'settings' }
  | { type: 'keys'; groupId: number }
  | { type: 'access_keys' }
  | { type: 'prices' }

/** What travels on the channel: the config version this change produced and the node that made it. */
interface Envelope {
  v: number
  from: string
  msg: ConfigMessage
}

type MessageHandler = (msg: ConfigMessage) => void | Promise<void>
type ResyncHandler = (reason: string) => void | Promise<void>

// INCR and PUBLISH in one script so versions reach subscribers in order: a hole then really means a lost message.
// The envelope is assembled as text because cjson would turn an empty `ids` array into an object.
const PUBLISH = new LuaScript(
  "local v = redis.call('INCR', KEYS[1]) " +
    "redis.call('PUBLISH', ARGV[1], '{\"v\":' .. v .. ',\"from\":' .. ARGV[2] .. ',\"msg\":' .. ARGV[3] .. '}') " +
    'return v',
)

export interface ConfigBusOptions {
  /** the node's command connection; the bus opens its own subscriber connection from it */
  client: RedisClient
  /** key/channel prefix shared by the cluster, e.g. `keypool:` */
  prefix: string
  nodeId: string
  /** how often the version counter is compared with the last version seen; 0 = never. Default 30 s. */
  checkIntervalMs?: number
  log?: ClusterLog
}

export class ConfigBus {
  private readonly client: RedisClient
  private readonly channel: string
  private readonly versionKey: string
  private readonly nodeId: string
  private readonly checkIntervalMs: number
  private readonly log: ClusterLog
  private readonly messageHandlers = new Set<MessageHandler>()
  private readonly resyncHandlers = new Set<ResyncHandler>()
  private subscriber: RedisClient | undefined
  private checkTimer: ReturnType<typeof setInterval> | undefined
  private lastSeen = 0
  /** messages and resyncs being applied now */
  private readonly applying = new Set<Promise<void>>()
  /** the counter read at the previous check: anything up to it has had a whole interval to arrive */
  private previousCheck = 0

  constructor(opts: ConfigBusOptions) {
    this.client = opts.client
    this.channel = `${opts.prefix}config`
    this.versionKey = `${opts.prefix}config:version`
    this.nodeId = opts.nodeId
    this.checkIntervalMs = opts.checkIntervalMs ?? 30_000
    this.log = opts.log ?? console
  }

  /** Resolves once subscribed: messages published after that are delivered. */
  async start(): Promise<void> {
    if (this.subscriber) return
    const sub = await duplicateRedis(this.client, { name: `config-bus:${this.nodeId}`, log: this.log })
    this.subscriber = sub
    await sub.subscribe(this.channel, (raw: string) => this.receive(raw))
    // node-redis resubscribes before 'ready'; every 'ready' after this one is a reconnect that may have missed messages.
    sub.on('ready', () => void this.afterReconnect())
    this.lastSeen = await this.readVersion()
    this.previousCheck = this.lastSeen
    if (this.checkIntervalMs > 0) this.checkTimer = setInterval(() => void this.checkVersion(), this.checkIntervalMs)
  }

  async stop(): Promise<void> {
    clearInterval(this.checkTimer)
    this.checkTimer = undefined
    this.subscriber?.destroy()
    this.subscriber = undefined
  }

  /** Tells the other nodes what changed; resolves to the new config version. */
  async publish(msg: ConfigMessage): Promise<number> {
    const v = await PUBLISH.run(this.client, [this.versionKey], [this.channel, JSON.stringify(this.nodeId), JSON.stringify(msg)])
    return Number(v)
  }

  onMessage(handler: MessageHandler): () => void {
    this.messageHandlers.add(handler)
    return () => this.messageHandlers.delete(handler)
  }

  /** The handler must reload all config from the store: some changes were missed. */
  onResync(handler: ResyncHandler): () => void {
    this.resyncHandlers.add(handler)
    return () => this.resyncHandlers.delete(handler)
  }

  /**
   * Safety net for a subscriber that went deaf without noticing: resync when the counter had already moved past
   * what we saw at the previous check (a message still in flight right now is not yet counted as missed).
   */
  async checkVersion(): Promise<void> {
    let current: number
    try {
      current = await this.readVersion()
    } catch (err) {
      this.log.warn(`config bus: cannot read ${this.versionKey}: ${errorText(err)}`)
      return
    }
    const missed = this.lastSeen < this.previousCheck
    this.previousCheck = current
    if (missed) {
      this.lastSeen = Math.max(this.lastSeen, current)
      await this.resync(`config version ${current} is ahead of the last one received`)
    }
  }

  /**
   * Whether other nodes made changes this node has not received: waits for the messages being applied now, then
   * compares the shared version counter with the last version received.
   */
  async behind(): Promise<boolean> {
    if (this.applying.size > 0) await Promise.allSettled([...this.applying])
    const current = await this.readVersion()
    // A message may have arrived while the counter was read: it counts as seen already, so wait until it is applied
    // too, or the caller would look for the change before it is there.
    if (this.applying.size > 0) await Promise.allSettled([...this.applying])
    return current > this.lastSeen
  }

  private track(work: Promise<void>): void {
    this.applying.add(work)
    void work.finally(() => this.applying.delete(work))
  }

  private receive(raw: string): void {
    const env = parseEnvelope(raw)
    if (!env) {
      this.log.warn(`config bus: ignoring a malformed message on ${this.channel}`)
      return
    }
    const gap = env.v > this.lastSeen + 1
    this.lastSeen = Math.max(this.lastSeen, env.v)
    if (gap) this.track(this.resync(`config versions before ${env.v} were missed`))
    else if (env.from !== this.nodeId) this.track(this.deliver(env.msg))
  }

  private async afterReconnect(): Promise<void> {
    try {
      this.lastSeen = Math.max(this.lastSeen, await this.readVersion())
    } catch (err) {
      this.log.warn(`config bus: cannot read ${this.versionKey} after reconnect: ${errorText(err)}`)
    }
    await this.resync('the config subscriber reconnected')
  }

  private async readVersion(): Promise<number> {
    return Number((await this.client.get(this.versionKey)) ?? 0)
  }

  private async deliver(msg: ConfigMessage): Promise<void> {
    for (const handler of this.messageHandlers) {
      try {
        await handler(msg)
      } catch (err) {
        this.log.warn(`config bus: handler for ${msg.type} failed: ${errorText(err)}`)
      }
    }
  }

  private async resync(reason: string): Promise<void> {
    this.log.info(`config bus: reloading all config (${reason})`)
    for (const handler of this.resyncHandlers) {
      try {
        await handler(reason)
      } catch (err) {
        this.log.warn(`config bus: resync handler failed: ${errorText(err)}`)
      }
    }
  }
}

function parseEnvelope(raw: string): Envelope | undefined {
  try {
    const env = JSON.parse(raw) as Partial<Envelope>
    const msg = env.msg as Partial<ConfigMessage> | undefined
    const knownType = msg?.type === 'groups' || msg?.type === 'settings' || msg?.type === 'keys' || msg?.type === 'access_keys' || msg?.type === 'prices'
    if (typeof env.v === 'number' && typeof env.from === 'string' && knownType) return env as Envelope
  } catch {
    // fall through: not JSON
  }
  return undefined
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
