/** The shared counter suite on the real Redis (TEST_REDIS_URL), each case under its own key prefix. */
import { afterAll, describe, expect, test } from 'bun:test'
import { RedisAccessCounters } from '../../server/access/redis-counters'
import { redisUp, RedisFixture } from '../cluster/redis-env'
import { countersSuite } from './counters.suite'

const fixture = new RedisFixture()
afterAll(() => fixture.closeAll())
let n = 0

if (redisUp) {
  const client = await fixture.connect('access-counters-test')
  countersSuite('redis', async () => new RedisAccessCounters(client, `${fixture.prefix}${++n}:`))

  describe('redis counters', () => {
    test('two nodes on one Redis enforce one limit', async () => {
      const prefix = `${fixture.prefix}shared:`
      const a = new RedisAccessCounters(client, prefix)
      const b = new RedisAccessCounters(await fixture.connect('access-counters-b'), prefix)
      const lim = { rpm: 4, tpm: 0, concurrency: 0, tokenBudget: 0, costBudgetMicros: 0, periodStart: 0, periodEnd: null }
      const verdicts = []
      for (let i = 0; i < 8; i++) verdicts.push((await (i % 2 ? a : b).admit({ ...lim, keyId: 9, ticket: `x${i}`, now: 1_000_000 + i })).ok)
      expect(verdicts.filter(Boolean).length).toBe(4)
    })
  })
} else {
  test.skip('redis counters (Redis unreachable)', () => {})
}
