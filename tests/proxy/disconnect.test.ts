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
