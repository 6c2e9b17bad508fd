/** The admin UI's routing fields in a real browser: the group form saves them, logs and dashboard show tiers. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { pageOn } from '../browser/ui-rig'
import type { Browser, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { chromiumAvailable, launchChromium } from '../browser/chromium'
import { waitForText } from '../browser/page-helpers'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, type TestApp } from '../support/test-app'
import { chatAt } from './helpers'

describe.skipIf(!chromiumAvailable())('admin UI: model routing', () => {
  let app: TestApp
  let upstream: FakeUpstream
  let browser: Browser
  let page: Page
  let pageErrors: string[] = []

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    upstream = await startFakeUpstream()
    app = await createTestApp({ ui: true })
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    browser = await launchChromium()
    ;({ page, pageErrors } = await pageOn(browser, app, { signedIn: 'form' }))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await upstream?.stop()
  })

  test('models, priority and weight are saved from the form and shown when it is opened again', async () => {
    for (const [name, priority] of [['free', '1'], ['paid', '2']] as const) {
      await page.goto(`${app.url}/groups`)
      await page.click('[data-testid=group-new]')
      await page.fill('[data-testid=group-name]', name)
      await page.fill('[data-testid=upstream-url]', upstream.url)
      await page.fill('[data-testid=group-models]', 'gpt-4o-mini\ngpt-4o*')
      await page.fill('[data-testid=group-priority]', priority)
      await page.fill('[data-testid=group-weight]', '3')
      await page.click('[data-testid=group-save]')
      await waitForText(page, '[data-testid=group-endpoint]', `/proxy/${name}`)
    }
    expect(app.deps.groups.byName('paid')).toMatchObject({ models: ['gpt-4o-mini', 'gpt-4o*'], priority: 2, weight: 3 })
    await waitForText(page, '[data-testid=group-routing-summary]', 'gpt-4o-mini, gpt-4o* · Priority 2 · Weight in its tier 3')
    await page.click('[data-testid=group-edit]')
    expect(await page.inputValue('[data-testid=group-models]')).toBe('gpt-4o-mini\ngpt-4o*')
    expect(await page.inputValue('[data-testid=group-priority]')).toBe('2')
    // out of range: the browser's own check on the field stops the save
    await page.fill('[data-testid=group-priority]', '0')
    await page.click('[data-testid=group-save]')
    expect(await page.locator('[data-testid=group-priority]').evaluate((el) => (el as HTMLInputElement).validity.rangeUnderflow)).toBe(true)
    expect(app.deps.groups.byName('paid')!.priority).toBe(2)
    await page.keyboard.press('Escape')
  })

  test('a request a fallback tier served is marked in the logs and counted on the dashboard', async () => {
    await app.api(`/api/keys/add-multiple`, { method: 'POST', body: JSON.stringify({ group_id: app.deps.groups.byName('free')!.id, keys_text: 'sk-500-free' }) })
    await app.api(`/api/keys/add-multiple`, { method: 'POST', body: JSON.stringify({ group_id: app.deps.groups.byName('paid')!.id, keys_text: 'sk-ok-paid' }) })
    expect((await chatAt(app.url, 'gpt-4o-mini')).status).toBe(200)
    await page.goto(`${app.url}/logs`)
    await waitForText(page, '[data-testid=log-table]', 'fallback tier 2', { reloadEveryMs: 1000 })
    await page.goto(`${app.url}/`)
    await waitForText(page, '[data-testid=stat-fallback]', '1 requests routed by tiers', { reloadEveryMs: 1000 })
    expect(pageErrors).toEqual([])
  })
})
