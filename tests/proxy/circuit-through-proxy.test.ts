/**
 * The circuit observed through real requests: two upstreams, one failing with 500s. Time is the app's clock, moved
 * by the test, so the cool-off passes without waiting.
 */
import { expect, test } from 'bun:test'
import { createTestApp, seedGroup } from '../support/test-app'
import { PROXY_KEY } from './helpers'

const OPEN_MS = 30_000
const answer = () => Response.json({ id: 'c1', object: 'chat.completion', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })

test('open after five failures, one probe after the cool-off (others go elsewhere while it is out), closed on its success', async () => {
  let now = 1_000_000
  let flakyBroken = true
  let flakyHits = 0
  let holdProbe: Promise<void> | null = null
  let probeArrived = () => {}
  await using flaky = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch() {
      flakyHits++
      probeArrived()
      // only the first request after holdProbe is set is held (the probe); any other answers at once
      const hold = holdProbe
      holdProbe = null
      if (hold) await hold
      return flakyBroken ? Response.json({ error: { message: 'upstream down' } }, { status: 500 }) : answer()
    },
  })
  await using steady = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: answer })
  await using app = await createTestApp({ clock: { now: () => now } })
  let release = () => {}
  // disposed first: a held probe must not keep the upstream's stop waiting when an assertion fails
  using _releaseHeld = { [Symbol.dispose]: () => release() }
  await seedGroup(
    app.deps,
    {
      name: 'two',
      upstreams: [{ url: `http://127.0.0.1:${flaky.port}`, weight: 1 }, { url: `http://127.0.0.1:${steady.port}`, weight: 1 }],
      config: { max_retries: 3 },
    },
    ['sk-one-1111111111', 'sk-two-2222222222', 'sk-three-3333333333', 'sk-four-4444444444'],
  )
  const chat = () =>
    fetch(`${app.url}/proxy/two/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
    })
  const send = async (n: number) => {
    for (let i = 0; i < n; i++) expect((await chat()).status).toBe(200)
  }

  // Closed: round-robin keeps sending to the flaky upstream (every failure retried on the steady one) until it opens.
  while (flakyHits < 5) await send(1)
  const atOpen = flakyHits
  await send(6)
  expect(flakyHits).toBe(atOpen)

  // Half-open: the first request sent to it is the probe; while the probe is held, everything else goes elsewhere.
  now += OPEN_MS
  holdProbe = new Promise<void>((r) => (release = r))
  const arrived = new Promise<'probe'>((r) => (probeArrived = () => r('probe')))
  let probe: Promise<Response> | null = null
  for (let i = 0; i < 4 && !probe; i++) {
    const p = chat()
    if ((await Promise.race([p.then(() => 'elsewhere' as const), arrived])) === 'probe') probe = p
  }
  expect(probe).not.toBeNull()
  expect(flakyHits).toBe(atOpen + 1)
  await send(4)
  expect(flakyHits).toBe(atOpen + 1)
  release()
  expect((await probe!).status).toBe(200) // the failed probe was retried on the steady upstream

  // The probe failed: open again for a whole cool-off.
  probeArrived = () => {}
  now += OPEN_MS - 1
  await send(4)
  expect(flakyHits).toBe(atOpen + 1)

  // The next probe succeeds: closed, the flaky upstream takes its share again.
  flakyBroken = false
  now += 1
  for (let i = 0; i < 4 && flakyHits === atOpen + 1; i++) await send(1)
  expect(flakyHits).toBe(atOpen + 2)
  await send(4)
  expect(flakyHits).toBeGreaterThanOrEqual(atOpen + 3)
})
