/** A client that hangs up mid-stream: the upstream call is aborted, logged as 499, and the key is not penalised. */
import { expect, test } from 'bun:test'
import { keyStates, waitFor } from '../support/test-app'
import { chat, logsOf, proxyRig } from './helpers'

test('client disconnect mid-stream aborts the upstream call with no penalty and no retry', async () => {
  await using rig = await proxyRig(['sk-hang-1'], { config: { blacklist_threshold: 1 } })
  const ac = new AbortController()
  const res = await chat(rig.base, { stream: true }, {}).then((r) => r)
  // read the first chunk, then hang up
  const reader = res.body!.getReader()
  const first = await reader.read()
  expect(first.done).toBe(false)
  ac.abort()
  await reader.cancel()
  await rig.upstream.waitFor((reqs) => reqs[0]?.aborted === true)
  await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'log row')
  const [row] = await logsOf(rig.app)
  expect(row).toMatchObject({ status_code: 499, is_success: false, retries: 0 })
  expect(rig.upstream.requests.length).toBe(1)
  await rig.app.deps.pool.flush()
  expect((await keyStates(rig.app.deps, rig.group.id))['sk-hang-1']).toEqual({ status: 'active', failures: 0 })
  // the concurrency slot was released
  rig.upstream.setBehavior('sk-hang-1', 'ok')
  expect((await chat(rig.base)).status).toBe(200)
})

test('an upstream that dies mid-stream: the client sees the stream end early, no retry after the first byte', async () => {
  // An upstream of its own: headers and two SSE events, then the connection breaks.
  let hits = 0
  const dying = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch() {
      hits++
      let n = 0
      return new Response(
        new ReadableStream({
          async pull(c) {
            await Bun.sleep(20) // let the headers and each event leave before the next step
            if (n++ < 2) c.enqueue(new TextEncoder().encode(`data: {"n":${n}}\n\n`))
            else c.error(new Error('upstream crashed'))
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      )
    },
  })
  try {
    await using rig = await proxyRig(['sk-a', 'sk-b'])
    await rig.app.deps.store.updateGroup(rig.group.id, { upstreams: [{ url: `http://127.0.0.1:${dying.port}`, weight: 1 }] })
    await rig.app.deps.groups.invalidate([rig.group.id])
    const res = await chat(rig.base, { stream: true })
    expect(res.status).toBe(200)
    // read what arrives until the stream breaks (the proxy ends it with an error, as the upstream did)
    let text = ''
    const reader = res.body!.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
    } catch {}
    expect(text).toContain('data: {"n":1}')
    expect(text).not.toContain('[DONE]')
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'log row')
    const [row] = await logsOf(rig.app)
    expect(row).toMatchObject({ is_success: false, retries: 0, is_stream: true })
    expect(row!.error_message).toContain('stream interrupted')
    expect(hits).toBe(1) // never retried once bytes reached the client
  } finally {
    dying.stop(true)
  }
})
