/**
 * Access-key counters in Redis, shared by every node of a cluster: one script per admission (RPM window,
 * concurrency lease and budget decided together) and one per finished answer. A Redis that does not answer within
 * REDIS_TIMEOUT_MS makes `admit` throw: the proxy then refuses limited keys with a 503 (fail closed).
 */
import { createHash } from 'node:crypto'
import { BUDGET_GRACE_MS, LEASE_MS, type AccessCounters, type AdmitInput, type AdmitResult, type FinishInput } from './counters'
import { ADMIT, FINISH, SEED } from './redis-scripts'

const REDIS_TIMEOUT_MS = 2000

/** What the counters need of a connected node-redis client. */
export interface CounterRedisClient {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  hmGet(key: string, fields: string[]): Promise<(string | null)[]>
  del(keys: string[]): Promise<number>
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

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`access-key counters: Redis did not answer ${what} within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

export class RedisAccessCounters implements AccessCounters {
  readonly kind = 'redis'
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

  async admit(a: AdmitInput): Promise<AdmitResult> {
    const keys = [this.key(a.keyId, 'req'), this.key(a.keyId, 'tok'), this.key(a.keyId, 'lease'), this.budgetKey(a.keyId, a.periodStart)]
    const args = [a.now, a.ticket, a.rpm, a.tpm, a.concurrency, a.tokenBudget, a.costBudgetMicros, LEASE_MS]
    const r = (await withTimeout(admitScript.run(this.client, keys, args), 'an admission')) as [string, number, number, number, number, number]
    const w = { requests: Number(r[2]), requestsResetMs: Number(r[3]), tokens: Number(r[4]), tokensResetMs: Number(r[5]) }
    const verdict = r[0]
    if (verdict === 'ok') return { ok: true, ...w }
    const retry = verdict === 'budget' ? (a.periodEnd === null ? null : a.periodEnd - a.now) : Number(r[1])
    return { ok: false, reason: verdict as 'rpm' | 'tpm' | 'concurrency' | 'budget', retryAfterMs: retry, ...w }
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
    // a total budget's bucket (period start 0) never expires; the others expire with their period
    const keys = [this.key(keyId, 'req'), this.key(keyId, 'tok'), this.key(keyId, 'lease'), this.budgetKey(keyId, 0)]
    await withTimeout(this.client.del(keys), 'a delete')
  }
}
