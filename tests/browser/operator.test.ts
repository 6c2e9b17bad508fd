/**
 * What an operator walking through the UI ran into: a copied group that was not opened, an empty group saying
 * "no keys match", a validation that ended without saying what it found, an App URL that was not a URL, the endpoint
 * on another port than 3001, and a phone-width page wider than the phone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, TEST_AUTH_KEY, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { waitForText, waitVisible } from './page-helpers'

const run = chromiumAvailable()

describe.skipIf(!run)('admin UI, operator walk-through', () => {
  let app: TestApp
  let upstream: FakeUpstream
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  const login = async (p: Page) => {
    await p.goto(`${app.url}/login`)
    await p.fill('input[name=auth_key]', TEST_AUTH_KEY)
    await p.click('button[type=submit]')
    await p.waitForURL((u) => !u.pathname.startsWith('/login'))
  }

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    upstream = await startFakeUpstream()
    app = await createTestApp({ ui: true })
    const res = await app.api('/api/groups', {
      method: 'POST',
      body: JSON.stringify({ name: 'main', channel_type: 'openai', upstreams: [{ url: upstream.url, weight: 1 }] }),
    })
    expect(res.status).toBe(200)
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await login(page)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await upstream?.stop()
  })

  test('the endpoint shown is on the port the page was opened on, not the default 3001', async () => {
    await page.goto(`${app.url}/groups`)
    await waitForText(page, '[data-testid=group-endpoint]', `${app.url}/proxy/main`)
  })

  test('an empty group says how to add keys rather than "No keys match"', async () => {
    await waitForText(page, '.empty', 'This group has no keys yet')
    await page.click('[data-testid=filter-invalid]')
    await waitForText(page, '.empty', 'No keys match.')
    await page.click('[data-testid=filter-all]')
  })

  test('validating all keys ends with what it found', async () => {
    await page.click('[data-testid=keys-add]')
    await page.fill('[data-testid=keys-textarea]', 'sk-ok-walk-0001\nsk-ok-walk-0002\nsk-bad-walk-0003')
    await page.click('[data-testid=keys-add-submit]')
    await waitForText(page, '.toast', '3 added')
    await page.getByRole('button', { name: 'Validate all' }).click()
    await waitForText(page, '.toast', 'Validation finished: 2 valid, 1 invalid')
    await waitForText(page, '[data-testid=filter-invalid] .count', '1')
  })

  test('a copied group is opened, and the toast says how many keys came along', async () => {
    await page.getByRole('button', { name: 'Copy', exact: true }).first().click()
    await page.locator('.modal select').selectOption('valid_only')
    await page.locator('.modal .btn.primary').click()
    await waitForText(page, '.toast', 'Copied to main-copy with 2 key(s)')
    const copy = app.deps.groups.byName('main-copy')
    expect(copy).toBeDefined()
    await page.waitForURL(`${app.url}/groups/${copy!.id}`)
    await waitForText(page, '[data-testid=group-endpoint]', '/proxy/main-copy')
  })

  test('an App URL that is not an http(s) URL is refused inline; empty is accepted', async () => {
    await page.goto(`${app.url}/settings`)
    const field = page.locator('[data-testid=setting-app_url]')
    await field.fill('keys.example.com')
    await waitForText(page, '[data-testid=error-app_url]', 'Enter an http(s) URL')
    expect(await page.locator('[data-testid=settings-save]').isDisabled()).toBe(true)
    await field.fill('https://keys.example.com')
    expect(await page.locator('[data-testid=error-app_url]').count()).toBe(0)
    await field.fill('')
    await page.click('[data-testid=settings-save]')
    await waitForText(page, '.toast', 'Settings saved')
    expect(app.deps.settings.get().app_url).toBe('')
  })

  test('at phone width no page is wider than the screen; wide tables scroll in their own box', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const p = await phone.newPage()
    p.on('pageerror', (e) => pageErrors.push(e.message))
    await login(p)
    const overflow = () =>
      p.evaluate(() => [document.documentElement, document.querySelector('.main')!].map((el) => el.scrollWidth - el.clientWidth))
    for (const [path, ready] of [
      ['/', '[data-testid=requests-chart]'],
      ['/groups', '[data-testid=key-row]'],
      ['/logs', '[data-testid=log-table]'],
      ['/settings', '[data-testid=settings-form]'],
      ['/access-keys', '[data-testid=ak-new]'],
    ] as const) {
      await p.goto(`${app.url}${path}`)
      await waitVisible(p, ready)
      expect({ path, overflow: await overflow() }).toEqual({ path, overflow: [0, 0] })
    }
    // the state tabs keep each label on one line ("全部", not one character a line)
    await p.goto(`${app.url}/groups`)
    const tab = p.locator('[data-testid=filter-all]')
    await tab.waitFor()
    const lineHeight = await tab.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20)
    expect((await tab.boundingBox())!.height).toBeLessThan(lineHeight * 2)
    await phone.close()
    expect(pageErrors).toEqual([])
  })
})
