/**
 * The admin UI in Japanese: a browser whose language is Japanese gets the login page and the logged-in pages in
 * Japanese without choosing anything, and the language switcher offers 日本語 beside English and Chinese.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { createTestApp, TEST_AUTH_KEY, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { shot, waitForText, waitVisible } from './page-helpers'
import { pageOn } from './ui-rig'

const run = chromiumAvailable()

describe.skipIf(!run)('admin UI with a Japanese browser', () => {
  let app: TestApp
  let browser: Browser
  let page: Page
  let pageErrors: string[] = []

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    app = await createTestApp({ ui: true })
    const created = await app.api('/api/groups', {
      method: 'POST',
      body: JSON.stringify({ name: 'tokyo', channel_type: 'openai', upstreams: [{ url: 'http://127.0.0.1:9', weight: 1 }], test_model: 'gpt-4o-mini' }),
    })
    expect(created.status).toBe(200)
    browser = await launchChromium()
    // not signed in: the login page comes first
    ;({ page, pageErrors } = await pageOn(browser, app, { signedIn: false, viewport: { width: 1280, height: 800 }, locale: 'ja-JP' }))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  test('the login page is in Japanese', async () => {
    await page.goto(`${app.url}/groups`)
    await page.waitForURL(/\/login/)
    await waitForText(page, 'h1', 'keypool にログイン')
    await waitForText(page, '.login-card', '管理キー')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja')
    await shot(page, 'login-ja', { docs: false })
  })

  test('after signing in, the groups, settings and dashboard pages speak Japanese', async () => {
    await page.fill('input[name=auth_key]', TEST_AUTH_KEY)
    await page.click('button[type=submit]')
    await page.waitForURL(`${app.url}/groups`)
    await waitForText(page, '.nav', 'グループとキー')
    await waitForText(page, '.nav', 'ダッシュボード')
    await waitForText(page, 'body', 'tokyo')
    await waitForText(page, 'body', 'グループを作成')
    await page.goto(`${app.url}/settings`)
    await waitVisible(page, '[data-testid=setting-max_retries]')
    await waitForText(page, 'body', '最大リトライ回数')
    await page.goto(`${app.url}/`)
    await waitForText(page, 'body', '毎分リクエスト数')
    expect(await page.locator('[data-testid=lang-select]').inputValue()).toBe('ja')
    await shot(page, 'dashboard-ja', { docs: false })
  })

  test('the switcher offers 日本語 and switches back and forth live', async () => {
    const options = await page.locator('[data-testid=lang-select] option').allTextContents()
    expect(options).toEqual(['English', '简体中文', '日本語'])
    await page.selectOption('[data-testid=lang-select]', 'en')
    await waitForText(page, '.nav', 'Groups & keys')
    await page.selectOption('[data-testid=lang-select]', 'ja')
    await waitForText(page, '.nav', 'グループとキー')
    await page.reload()
    await waitForText(page, '.nav', 'システム設定')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja')
    expect(pageErrors).toEqual([])
  })
})
