import { afterAll, expect, test } from 'bun:test'
import net from 'node:net'
import { connectRedis, maskRedisUrl } from '../../server/cluster/redis-client'
import { describeRedis, RedisFixture, recordingLog, REDIS_URL, waitFor } from './redis-env'

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

test('maskRedisUrl hides the password and keeps the rest', () => {
  expect(maskRedisUrl('redis://app:s3cret@cache.internal:6380/2')).toBe('redis://app:***@cache.internal:6380/2')
  expect(maskRedisUrl('redis://:p@ss@127.0.0.1')).toBe('redis://:***@127.0.0.1')
  expect(maskRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379')
})

test('a closed port rejects the first connect with a REDIS_DSN message, password masked', async () => {
  const port = await closedPort()
  const log = recordingLog()
  const err = await connectRedis(`redis://app:hunter2@127.0.0.1:${port}`, { connectTimeoutMs: 1000, log }).catch((e) => e)
  expect(err).toBeInstanceOf(Error)
  expect(err.message).toStartWith(`REDIS_DSN: cannot connect to redis://app:***@127.0.0.1:${port}: `)
  expect(err.message).not.toContain('hunter2')
  expect(log.lines).toEqual([])
})

test('a URL that is not redis:// rejects with a REDIS_DSN message', async () => {
  const err = await connectRedis('http://127.0.0.1:6379').catch((e) => e)
  expect(err.message).toStartWith('REDIS_DSN: cannot connect to http://127.0.0.1:6379: ')
})

describeRedis('connectRedis against the real Redis', () => {
  const fx = new RedisFixture()
  afterAll(() => fx.closeAll())

  test('connects, names the connection and runs commands', async () => {
    const client = await fx.connect('keypool-test-conn')
    expect(String(await client.sendCommand(['CLIENT', 'GETNAME']))).toBe('keypool-test-conn')
    await client.set(`${fx.prefix}k`, 'v')
    expect(await client.get(`${fx.prefix}k`)).toBe('v')
  })

  test('credentials the server refuses fail the first connect at once, masked', async () => {
    const url = new URL(REDIS_URL)
    url.username = 'keypool-no-such-user'
    url.password = 'not-the-password-1234'
    const err = await connectRedis(url.toString(), { connectTimeoutMs: 30_000 }).catch((e) => e)
    expect(err.message).toStartWith('REDIS_DSN: cannot connect to redis://keypool-no-such-user:***@')
    expect(err.message).toContain('WRONGPASS')
    expect(err.message).not.toContain('not-the-password-1234')
  })

  test('an outage is logged once when lost and once when recovered, however many retries it takes', async () => {
    await using outage = await TcpRelay.open(new URL(REDIS_URL))
    const log = recordingLog()
    const relayUrl = new URL(REDIS_URL)
    relayUrl.hostname = '127.0.0.1'
    relayUrl.port = String(outage.port)
    const client = await connectRedis(relayUrl.toString(), { log })
    let errors = 0
    client.on('error', () => errors++)

    await outage.down()
    await waitFor('several failed reconnects', () => errors >= 4)
    await outage.up()
    await waitFor('the client to be ready again', () => client.isReady)

    expect(await client.ping()).toBe('PONG')
    expect(log.lines.map((l) => l.split(':')[0])).toEqual(['warn redis', 'info redis'])
    expect(log.lines[0]).toContain('lost')
    expect(log.lines[1]).toContain('recovered')
    client.destroy()
  })
})

/** Forwards a local port to Redis; `down()` closes it and drops every connection, `up()` listens again. */
class TcpRelay {
  private server: net.Server | undefined
  private readonly sockets = new Set<net.Socket>()

  private constructor(
    private readonly target: URL,
    public port: number,
  ) {}

  static async open(target: URL): Promise<TcpRelay> {
    const relay = new TcpRelay(target, 0)
    await relay.up()
    return relay
  }

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('error', () => {})
        s.on('close', () => {
          this.sockets.delete(s)
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as net.AddressInfo).port
    this.server = server
  }

  async down(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down()
  }
}
