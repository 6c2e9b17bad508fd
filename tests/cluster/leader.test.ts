import { afterAll, expect, test } from 'bun:test'
import { LeaderLease } from '../../server/cluster/leader'
import { LocalLeader } from '../../server/cluster/local-leader'
import { createNodeId } from '../../server/cluster/node-id'
import type { RedisClient } from '../../server/cluster/redis-client'
import { describeRedis, RedisFixture, waitFor } from './redis-env'

const TTL_MS = 600

describeRedis('LeaderLease', () => {
  const fx = new RedisFixture()
  const leases: LeaderLease[] = []
  afterAll(async () => {
    for (const lease of leases) await lease.stop()
    await fx.closeAll()
  })

  /** A lease on its own connection (so one node's connection can be killed), recording its changes. */
  async function member(key: string, opts: { isSlave?: boolean; client?: RedisClient } = {}) {
    const client = opts.client ?? (await fx.connect())
    const nodeId = createNodeId()
    const lease = new LeaderLease({ client, key, nodeId, ttlMs: TTL_MS, isSlave: opts.isSlave, log: fx.log })
    const changes: boolean[] = []
    lease.onChange((leader) => void changes.push(leader))
    leases.push(lease)
    return { client, nodeId, lease, changes }
  }

  const leaders = <M extends { lease: LeaderLease }>(ms: M[]): M[] => ms.filter((m) => m.lease.isLeader())

  test('exactly one of three leads, and the key names it', async () => {
    const key = `${fx.prefix}leader:three`
    const ms = [await member(key), await member(key), await member(key)]
    await Promise.all(ms.map((m) => m.lease.start()))
    const found = leaders(ms)
    expect(found.length).toBe(1)
    const leader = found[0]!
    expect(await leader.client.get(key)).toBe(leader.nodeId)
    expect(ms.map((m) => m.changes)).toEqual(ms.map((m) => (m === leader ? [true] : [])))
  })

  test('stop() releases the lease and another node takes over', async () => {
    const key = `${fx.prefix}leader:handover`
    const ms = [await member(key), await member(key), await member(key)]
    for (const m of ms) await m.lease.start()
    const old = ms[0]!
    expect(leaders(ms)).toEqual([old])
    await old.lease.stop()
    expect(old.changes).toEqual([true, false])
    await waitFor('a new leader', () => leaders(ms).length === 1)
    const next = leaders(ms)[0]!
    expect(next).not.toBe(old)
    expect(await old.client.get(key)).toBe(next.nodeId)
  })

  test('a leader whose connection dies without releasing is replaced within the ttl, and steps down', async () => {
    const key = `${fx.prefix}leader:killed`
    const ms = [await member(key), await member(key)]
    for (const m of ms) await m.lease.start()
    const [dead, survivor] = ms as [(typeof ms)[0], (typeof ms)[0]]
    expect(dead.lease.isLeader()).toBe(true)
    dead.client.destroy()
    // Redis expires the key after TTL_MS; the survivor tries every ttl/3: bounded by ttl + one renewal + slack.
    await waitFor('the survivor to lead', () => survivor.lease.isLeader(), TTL_MS * 3)
    await waitFor('the dead node to step down', () => !dead.lease.isLeader(), TTL_MS * 3)
    expect(dead.changes).toEqual([true, false])
    expect(await survivor.client.get(key)).toBe(survivor.nodeId)
  })

  test('a renewal that finds another owner steps down', async () => {
    const key = `${fx.prefix}leader:stolen`
    const m = await member(key)
    await m.lease.start()
    expect(m.lease.isLeader()).toBe(true)
    await m.client.set(key, 'someone-else', { PX: 60_000 })
    await waitFor('the lease to step down', () => !m.lease.isLeader())
    expect(m.changes).toEqual([true, false])
  })

  test('stop() deletes the key only while it is still ours', async () => {
    const key = `${fx.prefix}leader:not-ours`
    const m = await member(key)
    await m.lease.start()
    await m.client.set(key, 'someone-else', { PX: 60_000 })
    await m.lease.stop()
    expect(await m.client.get(key)).toBe('someone-else')
  })

  test('an IS_SLAVE node never takes the lease, even when it is free', async () => {
    const key = `${fx.prefix}leader:slave`
    const slave = await member(key, { isSlave: true })
    await slave.lease.start()
    expect(slave.lease.isLeader()).toBe(false)
    expect(await slave.client.exists(key)).toBe(0)
    // A normal node leads right after start() on the same free key: the slave was not merely slow.
    const normal = await member(key)
    await normal.lease.start()
    expect({ normal: normal.lease.isLeader(), slave: slave.lease.isLeader(), changes: slave.changes }).toEqual({
      normal: true,
      slave: false,
      changes: [],
    })
  })

  test('rejects a renewal interval not shorter than the ttl', async () => {
    const client = await fx.connect()
    expect(() => new LeaderLease({ client, key: 'k', nodeId: 'n', ttlMs: 100, renewMs: 100 })).toThrow('renewMs')
  })
})

test('LocalLeader leads from start() to stop() unless IS_SLAVE', async () => {
  const local = new LocalLeader()
  const changes: boolean[] = []
  local.onChange((leader) => void changes.push(leader))
  expect(local.isLeader()).toBe(false)
  await local.start()
  expect(local.isLeader()).toBe(true)
  await local.stop()
  expect({ leader: local.isLeader(), changes }).toEqual({ leader: false, changes: [true, false] })

  const slave = new LocalLeader({ isSlave: true })
  const slaveChanges: boolean[] = []
  slave.onChange((leader) => void slaveChanges.push(leader))
  await slave.start()
  expect({ leader: slave.isLeader(), changes: slaveChanges }).toEqual({ leader: false, changes: [] })
})
