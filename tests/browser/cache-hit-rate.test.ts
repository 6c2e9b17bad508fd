/**
 * The response cache in the admin UI (Chromium): the group form sets cache_ttl_seconds, and after repeated
 * identical calls the group detail shows the 24 h hit rate.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, TEST_AUTH_KEY, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { pageOn } from './ui-rig'
import { waitForText } from './page-helpers'

describe.skipIf(!chromiumAvailable())('response cache in the admin UI', () => {
  let app: TestApp
  let upstream: FakeUpstream
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    upstream = await startFakeUpstream()
    app = await createTestApp({ ui: true })
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    browser = await launchChromium()
    // not signed in: the test opens a page first and is sent to the login form, then back
    ;({ page } = await pageOn(browser, app, { signedIn: false }))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await upstream?.stop()
  })

  test('the form turns the cache on; the detail shows the hit rate of repeated calls', async () => {
    await page.goto(`${app.url}/groups`)
    await page.waitForURL(/\/login/)
    await page.fill('input[name=auth_key]', TEST_AUTH_KEY)
    await page.click('button[type=submit]')
    await page.waitForURL(`${app.url}/groups`)
    await page.click('[data-testid=group-new]')
    await page.fill('[data-testid=group-name]', 'cached-ui')
    await page.fill('[data-testid=upstream-url]', upstream.url)
    await page.fill('[data-testid=config-cache_ttl_seconds]', '300')
    await page.click('[data-testid=group-save]')
    await waitForText(page, '[data-testid=group-endpoint]', '/proxy/cached-ui')
    const group = app.deps.groups.byName('cached-ui')!
    expect(group.config).toEqual({ cache_ttl_seconds: 300 })
    await app.deps.store.addKeys(group.id, ['sk-ok-cache-ui-0001'])
    await app.deps.pool.loadGroup(group.id, await app.deps.store.groupKeys(group.id))

    const states: (string | null)[] = []
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${app.url}/proxy/cached-ui/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'same question' }] }),
      })
      states.push(res.headers.get('x-keypool-cache'))
      await res.text()
    }
    expect(states).toEqual(['miss', 'hit', 'hit', 'hit'])
    await app.deps.logs.flush()
    await page.reload()
    await waitForText(page, '[data-testid=group-cache-hit-rate] .value', '75%', { reloadEveryMs: 1000 })
    expect(await page.locator('[data-testid=group-cache-hit-rate]').getAttribute('title')).toContain('3 answers')
  })
})
