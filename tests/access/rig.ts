/** A keypool node with a fake upstream, a group `g1` and a clock the test moves, for access-key proxy tests. */
import { ManualClock } from '../pool/helpers'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, type TestApp } from '../support/test-app'
import type { NewGroup } from '../../db/types'

export interface AccessRig {
  app: TestApp
  upstream: FakeUpstream
  clock: ManualClock
  base: string
  [Symbol.asyncDispose](): Promise<void>
}

export async function accessRig(opts: { env?: Record<string, string>; group?: Partial<NewGroup>; keys?: string[] } = {}): Promise<AccessRig> {
  const upstream = await startFakeUpstream()
  const clock = new ManualClock(Date.now())
  const app = await createTestApp({ clock, env: opts.env })
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  await seedGroup(app.deps, { name: 'g1', upstreams: [{ url: upstream.url, weight: 1 }], ...opts.group }, opts.keys ?? ['sk-good-1'])
  return {
    app,
    upstream,
    clock,
    base: `${app.url}/proxy/${opts.group?.name ?? 'g1'}`,
    async [Symbol.asyncDispose]() {
      await app.stop()
      await upstream.stop()
    },
  }
}
