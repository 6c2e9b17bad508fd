/** Leader-only jobs: invalid keys are re-validated and restored when they pass; old request logs are deleted. */
import { expect, test } from 'bun:test'
import { keyStates } from '../support/test-app'
import { chat, logsOf, proxyRig } from '../proxy/helpers'

test('the validation job restores invalid keys that pass and leaves the others invalid', async () => {
  await using rig = await proxyRig(['sk-heals', 'sk-bad-stays', 'sk-good'], { config: { blacklist_threshold: 1 } })
  rig.upstream.setBehavior('sk-heals', 'bad')
  for (let i = 0; i < 4; i++) await chat(rig.base)
  await rig.app.deps.pool.flush()
  expect(await keyStates(rig.app.deps, rig.group.id)).toMatchObject({
    'sk-heals': { status: 'invalid' },
    'sk-bad-stays': { status: 'invalid' },
  })
  rig.upstream.reset() // forget requests (and overrides): the key works again
  rig.upstream.setBehavior('sk-heals', 'ok')
  await rig.app.server.built.cluster.jobs.runOnce()
  await rig.app.deps.pool.flush()
  const states = await keyStates(rig.app.deps, rig.group.id)
  expect(states['sk-heals']).toEqual({ status: 'active', failures: 0 })
  expect(states['sk-bad-stays']!.status).toBe('invalid')
  // the job used the channel's validation request on the group's test model
  const probe = rig.upstream.requests.find((r) => r.key === 'sk-heals')!
  expect(probe.path).toBe('/v1/chat/completions')
  // the restored key serves traffic again
  expect((await rig.app.deps.pool.stats(rig.group.id)).active).toBe(2)
})

test('a disabled key is never restored by the validation job', async () => {
  await using rig = await proxyRig(['sk-off', 'sk-good'])
  const off = (await rig.app.deps.store.groupKeys(rig.group.id)).find((k) => k.key_value === 'sk-off')!
  await rig.app.deps.pool.setStatus(rig.group.id, [off.id], 'disabled')
  await rig.app.deps.store.setKeyStatus([off.id], 'disabled')
  await rig.app.server.built.cluster.jobs.runOnce()
  expect((await keyStates(rig.app.deps, rig.group.id))['sk-off']!.status).toBe('disabled')
})

test('the retention job deletes request logs older than request_log_retention_days', async () => {
  await using rig = await proxyRig(['sk-good'])
  await chat(rig.base)
  const [fresh] = await logsOf(rig.app)
  await rig.app.deps.store.insertLogs([{ ...fresh!, id: undefined, timestamp: Date.now() - 10 * 86_400_000, path: '/old' }])
  await rig.app.deps.settings.update({ request_log_retention_days: 7 })
  await rig.app.server.built.cluster.jobs.runOnce()
  const rows = await logsOf(rig.app)
  expect(rows.map((r) => r.path)).toEqual(['/v1/chat/completions'])
})
