/**
 * Access-key counters in Redis, shared by every node of a cluster: one script per admission (RPM window,
 * concurrency lease and budget decided together) and one per finished answer. A key with a high RPM limit is
 * mostly admitted from this node's local allowance instead (local-allowance.ts: its admissions reach Redis in
 * batches). A Redis that does not answer within REDIS_TIMEOUT_MS makes `admit` throw: the proxy then refuses
 * limited keys with a 503 (fail closed).
 */
import { createHash } from 'node:crypto'
import { BUDGET_GRACE_MS, LEASE_MS, type AccessCounters, type AdmitInput, type AdmitResult, type FinishInput } from './counters'
import { LOCAL_FLUSH_MS, LocalAllowance, type SharedView } from './local-allowance'
import { log } from '../shared/logger'
import { ADMIT, FINISH, RECORD, SEED } from './redis-scripts'

const REDIS_TIMEOUT_MS = 2000

/** What the counters need of a connected node-redis client. */
export interface CounterRedisClient {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  hmGet(key: string, fields: string[]): Promise<(string | null)[]>
  del(keys: string[]): Promise<number>
  /** node-redis: false while the connection is down (then no request is admitted locally either) */
  readonly isReady?: boolean
}

class Script {
  private readonly sha: string
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }
  async run(client: CounterRedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) }
    try {
      return await client.evalSha(this.sha, options)
    } catch (err) {
      // a new or flushed Redis does not know the script yet
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return client.eval(this.source, options)
    }
  }
}

const admitScript = new Script(ADMIT)
const finishScript = new Script(FINISH)
const seedScript = new Script(SEED)
const recordScript = new Script(RECORD)

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`access-key counters: Redis did not answer ${what} within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

export class RedisAccessCounters implements AccessCounters {
  readonly kind = 'redis'
  private readonly local = new LocalAllowance()
  private writeTimer: ReturnType<typeof setTimeout> | null = null
  constructor(
    private readonly client: CounterRedisClient,
    private readonly prefix: string,
  ) {}

  private key(id: number, name: string): string {
    return `${this.prefix}{ak:${id}}:${name}`
  }

  private budgetKey(id: number, periodStart: number): string {
    return this.key(id, `budget:${periodStart}`)
  }

  admit(a: AdmitInput): AdmitResult | Promise<AdmitResult> {
    const local = LocalAllowance.eligible(a) && this.client.isReady !== false
    if (local) {
      const w = this.local.tryAdmit(a)
      if (w) {
        this.scheduleWrite()
        return { ok: true, ...w }
      }
    }
    return this.admitExactly(a, local)
  }

  private async admitExactly(a: AdmitInput, local: boolean): Promise<AdmitResult> {
    // this node's admissions Redis has not seen yet go first, so the exact decision counts them
    if (local) await this.write(a.keyId)
    const keys = [this.key(a.keyId, 'req'), this.key(a.keyId, 'tok'), this.key(a.keyId, 'lease'), this.budgetKey(a.keyId, a.periodStart), this.key(a.keyId, 'bulk')]
    const args = [a.now, a.ticket, a.rpm, a.tpm, a.concurrency, a.tokenBudget, a.costBudgetMicros, LEASE_MS]
    const r = (await withTimeout(admitScript.run(this.client, keys, args), 'an admission')) as [string, number, number, number, number, number, number, number]
    const w = { requests: Number(r[2]), requestsResetMs: Number(r[3]), tokens: Number(r[4]), tokensResetMs: Number(r[5]) }
    if (local) this.local.see(a.keyId, { ...w, at: a.now, periodStart: a.periodStart, spentTokens: Number(r[6]), spentCostMicros: Number(r[7]) })
    const verdict = r[0]
    if (verdict === 'ok') return { ok: true, ...w }
    const retry = verdict === 'budget' ? (a.periodEnd === null ? null : a.periodEnd - a.now) : Number(r[1])
    return { ok: false, reason: verdict as 'rpm' | 'tpm' | 'concurrency' | 'budget', retryAfterMs: retry, ...w }
  }

  private scheduleWrite(): void {
    if (this.writeTimer) return
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null
      for (const id of this.local.waiting()) this.write(id).catch(() => {})
    }, LOCAL_FLUSH_MS)
    this.writeTimer.unref?.()
  }

  /** Writes a key's local admissions (one call) and takes the window Redis answers as this node's view. */
  private async write(keyId: number): Promise<void> {
    const unsent = this.local.take(keyId)
    if (!unsent) return
    const { input: a, lastAt: now } = unsent
    const args = [now, a.tpm, a.tokenBudget > 0 || a.costBudgetMicros > 0 ? 1 : 0, unsent.count]
    const keys = [this.key(keyId, 'req'), this.key(keyId, 'tok'), this.budgetKey(keyId, a.periodStart), this.key(keyId, 'bulk')]
    let view: SharedView | null = null
    try {
      const r = (await withTimeout(recordScript.run(this.client, keys, args), 'local admissions')) as number[]
      view = { requests: Number(r[0]), requestsResetMs: Number(r[1]), tokens: Number(r[2]), tokensResetMs: Number(r[3]), at: now, periodStart: a.periodStart, spentTokens: Number(r[4]), spentCostMicros: Number(r[5]) }
    } catch (err) {
      // admitted already: they are lost to the shared window; the view goes stale and the exact path decides
      log.warn('access-key counters: writing local admissions failed', { error: String(err), admissions: unsent.count })
      throw err
    } finally {
      this.local.written(keyId, unsent.count, view)
    }
  }

  async finish(f: FinishInput): Promise<void> {
    const keys = [this.key(f.keyId, 'tok'), this.key(f.keyId, 'lease'), this.budgetKey(f.keyId, f.periodStart)]
    const ttl = f.periodEnd === null ? 0 : Math.max(1, f.periodEnd - f.now + BUDGET_GRACE_MS)
    await withTimeout(finishScript.run(this.client, keys, [f.now, f.ticket, Math.round(f.tokens), Math.round(f.costMicros), ttl]), 'a finished answer')
  }

  async spent(keyId: number, periodStart: number) {
    const [t, c] = await withTimeout(this.client.hmGet(this.budgetKey(keyId, periodStart), ['t', 'c']), 'a budget read')
    return { tokens: Number(t ?? 0), costMicros: Number(c ?? 0) }
  }

  async seed(keyId: number, periodStart: number, periodEnd: number | null, spent: { tokens: number; costMicros: number }) {
    const ttl = periodEnd === null ? 0 : Math.max(1, periodEnd - Date.now() + BUDGET_GRACE_MS)
    const args = [Math.round(spent.tokens), Math.round(spent.costMicros), ttl]
    await withTimeout(seedScript.run(this.client, [this.budgetKey(keyId, periodStart)], args), 'a budget seed')
  }

  async drop(keyId: number): Promise<void> {
    this.local.drop(keyId)
    // a total budget's bucket (period start 0) never expires; the others expire with their period
    const keys = [this.key(keyId, 'req'), this.key(keyId, 'tok'), this.key(keyId, 'lease'), this.budgetKey(keyId, 0), this.key(keyId, 'bulk')]
    await withTimeout(this.client.del(keys), 'a delete')
  }
}
