import { afterAll, expect, test } from 'bun:test'
import { ConfigBus, type ConfigMessage } from '../../server/cluster/bus'
import { createNodeId } from '../../server/cluster/node-id'
import type { RedisClient } from '../../server/cluster/redis-client'
import { describeRedis, RedisFixture, waitFor } from './redis-env'

describeRedis('ConfigBus', () => {
  const fx = new RedisFixture()
  const buses: ConfigBus[] = []
  afterAll(async () => {
    for (const bus of buses) await bus.stop()
    await fx.closeAll()
  })

  /** One cluster node: its own connection, bus and a record of what reached its handlers. */
  async function node(prefix = fx.prefix) {
    const client = await fx.connect()
    const id = createNodeId()
    const bus = new ConfigBus({ client, prefix, nodeId: id, checkIntervalMs: 0, log: fx.log })
    const got: ConfigMessage[] = []
    const resyncs: string[] = []
    bus.onMessage((m) => void got.push(m))
    bus.onResync((reason) => void resyncs.push(reason))
    await bus.start()
    buses.push(bus)
    return { client, id, bus, got, resyncs }
  }

  test('delivers every message type to the other nodes, in order, and not to the sender', async () => {
    const prefix = `${fx.prefix}deliver:`
    const a = await node(prefix)
    const b = await node(prefix)
    const c = await node(prefix)
    const sent: ConfigMessage[] = [
      { type: 'groups', ids: [3, 7] },
      { type: 'groups', ids: [] },
      { type: 'groups', ids: 'all' },
      { type: 'settings' },
      { type: 'keys', groupId: 7 },
    ]
    for (const m of sent) await a.bus.publish(m)
    await b.bus.publish({ type: 'settings' })

    await waitFor('b and c to receive them', () => b.got.length === sent.length && c.got.length === sent.length + 1)
    // a's subscription is ordered: b's message arriving proves a's own five came first and were skipped.
    await waitFor('a to receive the message of b', () => a.got.length === 1)
    expect({ a: a.got, b: b.got, c: c.got }).toEqual({ a: [{ type: 'settings' }], b: sent, c: [...sent, { type: 'settings' }] })
    expect([a.resyncs, b.resyncs, c.resyncs]).toEqual([[], [], []])
  })

  test('publish returns the next value of the shared config version counter', async () => {
    const prefix = `${fx.prefix}version:`
    const a = await node(prefix)
    const b = await node(prefix)
    const first = await a.bus.publish({ type: 'settings' })
    const second = await b.bus.publish({ type: 'settings' })
    expect([first, second]).toEqual([1, 2])
    expect(await a.client.get(`${prefix}config:version`)).toBe('2')
  })

  test('a hole in the versions makes the receiver resync instead of applying the message', async () => {
    const prefix = `${fx.prefix}gap:`
    const a = await node(prefix)
    const b = await node(prefix)
    // A change whose message a never got: the counter moved, nothing was published.
    await b.client.incr(`${prefix}config:version`)
    await b.bus.publish({ type: 'keys', groupId: 1 })
    await waitFor('a to resync', () => a.resyncs.length === 1)
    await b.bus.publish({ type: 'keys', groupId: 2 })
    await waitFor('a to get the next message', () => a.got.length === 1)
    expect({ got: a.got, resyncs: a.resyncs.length }).toEqual({ got: [{ type: 'keys', groupId: 2 }], resyncs: 1 })
  })

  test('the periodic check resyncs when the counter stays ahead of what arrived', async () => {
    const prefix = `${fx.prefix}check:`
    const a = await node(prefix)
    await a.bus.checkVersion()
    expect(a.resyncs).toEqual([])
    await a.client.incr(`${prefix}config:version`)
    await a.bus.checkVersion() // may still be in flight: not yet missed
    expect(a.resyncs).toEqual([])
    await a.bus.checkVersion()
    expect(a.resyncs.length).toBe(1)
    await a.bus.checkVersion()
    expect(a.resyncs.length).toBe(1)
  })

  test('a malformed message is ignored and later ones still arrive', async () => {
    const prefix = `${fx.prefix}malformed:`
    const a = await node(prefix)
    const b = await node(prefix)
    await b.client.publish(`${prefix}config`, 'not json')
    await b.client.publish(`${prefix}config`, JSON.stringify({ v: 1, from: 'x', msg: { type: 'nope' } }))
    await b.bus.publish({ type: 'settings' })
    await waitFor('the valid message', () => a.got.length === 1)
    expect({ got: a.got, resyncs: a.resyncs }).toEqual({ got: [{ type: 'settings' }], resyncs: [] })
  })

  test('killing the subscriber connection makes the node resync once it is back, and delivery goes on', async () => {
    const prefix = `${fx.prefix}kill:`
    const a = await node(prefix)
    const b = await node(prefix)
    const killed = await killSubscriber(b.client, a.id)
    expect(killed).toBe(1)
    await waitFor('a to resync after reconnecting', () => a.resyncs.length === 1)
    expect(a.resyncs[0]).toContain('reconnected')
    await b.bus.publish({ type: 'groups', ids: [9] })
    await waitFor('a to receive after the reconnect', () => a.got.length === 1)
    expect(a.got).toEqual([{ type: 'groups', ids: [9] }])
  })

  test('a handler that throws does not stop the others', async () => {
    const prefix = `${fx.prefix}throws:`
    const a = await node(prefix)
    const b = await node(prefix)
    a.bus.onMessage(() => {
      throw new Error('boom')
    })
    const after: ConfigMessage[] = []
    a.bus.onMessage((m) => void after.push(m))
    await b.bus.publish({ type: 'settings' })
    await waitFor('the handler after the failing one', () => after.length === 1)
    expect(a.got).toEqual([{ type: 'settings' }])
  })
})

/**
 * `CLIENT KILL TYPE pubsub`, narrowed to this node's subscriber by ID so parallel test runs keep theirs.
 * Returns how many connections were killed.
 */
async function killSubscriber(admin: RedisClient, nodeId: string): Promise<number> {
  const list = String(await admin.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub']))
  const line = list.split('\n').find((l) => l.includes(` name=config-bus:${nodeId} `))
  const id = line?.match(/^id=(\d+) /)?.[1]
  if (!id) throw new Error(`no pubsub connection named config-bus:${nodeId}`)
  return Number(await admin.sendCommand(['CLIENT', 'KILL', 'ID', id, 'TYPE', 'pubsub']))
}
