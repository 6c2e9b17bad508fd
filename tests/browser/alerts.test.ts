/**
 * The Alerts page in Chromium: an operator adds a webhook, picks its format and events, saves, presses the test
 * button and sees what the receiver said; the test appears in the history; the page reads in Japanese too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { pageOn } from './ui-rig'
import type { Browser, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { startReceiver, type Receiver } from '../alerts/support'
import { createTestApp, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { shot, waitForText, waitVisible } from './page-helpers'

describe.skipIf(!chromiumAvailable())('alerts page', () => {
  let app: TestApp
  let browser: Browser
  let page: Page
  let receiver: Receiver
  let pageErrors: string[] = []

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    receiver = startReceiver('ok')
    app = await createTestApp({ ui: true })
    browser = await launchChromium()
    ;({ page, pageErrors } = await pageOn(browser, app, { signedIn: 'form', viewport: { width: 1280, height: 900 } }))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await receiver?.stop()
  })

  test('add a Slack webhook for two events, save it, test it, see the answer and the history', async () => {
    await page.goto(`${app.url}/settings`)
    await page.click('[data-testid=settings-alerts-link]')
    await page.waitForURL(`${app.url}/alerts`)
    await waitForText(page, 'body', 'No webhook yet')
    await page.click('[data-testid=alerts-add]')
    await page.fill('[data-testid=alert-url]', `${receiver.url}/services/T000/B000/secret`)
    await page.selectOption('[data-testid=alert-format]', 'slack')
    await page.check('[data-testid=alert-event-key_invalidated]')
    await page.check('[data-testid=alert-event-group_exhausted]')
    await page.fill('[data-testid=setting-alert_cooldown_minutes]', '10')
    await page.click('[data-testid=alerts-save]')
    await waitForText(page, 'body', 'Alert settings saved')
    expect(JSON.parse(app.deps.settings.get().alert_webhooks)).toEqual([
      { url: `${receiver.url}/services/T000/B000/secret`, format: 'slack', events: ['key_invalidated', 'group_exhausted'] },
    ])
    expect(app.deps.settings.get().alert_cooldown_minutes).toBe(10)

    await page.click('[data-testid=alert-test]')
    await waitForText(page, '[data-testid=alert-test-result]', 'Delivered (HTTP 200): ok')
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0]!.body.text).toContain('[keypool] test:')
    await waitForText(page, '[data-testid=alert-history]', 'Test')
    await waitForText(page, '[data-testid=alert-history]', 'Delivered')
    const target = await page.locator('[data-testid=alert-history-row] td.mono').first().textContent()
    expect(target).not.toContain('secret')
    await shot(page, 'alerts', { docs: false })
  })

  test('a bad URL cannot be saved; the page reads in Japanese', async () => {
    await page.fill('[data-testid=alert-url]', 'not a url')
    await waitForText(page, 'body', 'Enter an http(s) URL')
    expect(await page.locator('[data-testid=alerts-save]').isDisabled()).toBe(true)
    await page.selectOption('[data-testid=lang-select]', 'ja')
    await waitForText(page, 'h1', 'アラート')
    await waitForText(page, 'body', 'テスト送信')
    await waitVisible(page, '[data-testid=alert-history]')
    await page.selectOption('[data-testid=lang-select]', 'en')
    expect(pageErrors).toEqual([])
  })
})
