/**
 * What an operator walking through the UI ran into: a copied group that was not opened, an empty group saying
 * "no keys match", a validation that ended without saying what it found, an App URL that was not a URL, the endpoint
 * on another port than 3001, and a phone-width page wider than the phone. Each test has its own node, upstream and
 * browser context and builds what it needs (tests/browser/ui-rig.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { seedGroup, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { waitForText, waitVisible } from './page-helpers'
import { uiRig } from './ui-rig'

const run = chromiumAvailable()
const WALK_KEYS = ['sk-ok-walk-0001', 'sk-ok-walk-0002', 'sk-bad-walk-0003']

const mainGroup = (app: TestApp, upstream: string, keys: string[] = []) =>
  seedGroup(app.deps, { name: 'main', channel_type: 'openai', upstreams: [{ url: upstream, weight: 1 }] }, keys)

describe.skipIf(!run)('admin UI, operator walk-through', () => {
  let browser: Browser

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  test('the endpoint shown is on the port the page was opened on, not the default 3001', async () => {
    await using rig = await uiRig(browser)
    await mainGroup(rig.app, rig.upstream.url)
    await rig.page.goto(`${rig.app.url}/groups`)
    await waitForText(rig.page, '[data-testid=group-endpoint]', `${rig.app.url}/proxy/main`)
    expect(rig.pageErrors).toEqual([])
  })

  test('an empty group says how to add keys rather than "No keys match"', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    const group = await mainGroup(app, rig.upstream.url)
    await page.goto(`${app.url}/groups/${group.id}`)
    await waitForText(page, '.empty', 'This group has no keys yet')
    await page.click('[data-testid=filter-invalid]')
    await waitForText(page, '.empty', 'No keys match.')
    await page.click('[data-testid=filter-all]')
    expect(rig.pageErrors).toEqual([])
  })

  test('validating all keys ends with what it found', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    const group = await mainGroup(app, rig.upstream.url)
    await page.goto(`${app.url}/groups/${group.id}`)
    await page.click('[data-testid=keys-add]')
    await page.fill('[data-testid=keys-textarea]', WALK_KEYS.join('\n'))
    await page.click('[data-testid=keys-add-submit]')
    await waitForText(page, '.toast', '3 added')
    await page.getByRole('button', { name: 'Validate all' }).click()
    await waitForText(page, '.toast', 'Validation finished: 2 valid, 1 invalid')
    await waitForText(page, '[data-testid=filter-invalid] .count', '1')
    expect(rig.pageErrors).toEqual([])
  })

  test('a copied group is opened, and the toast says how many keys came along', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    const group = await mainGroup(app, rig.upstream.url, WALK_KEYS)
    // As a validation leaves it: the sk-bad key invalid, in the rows and in the live pool.
    const bad = (await app.deps.store.groupKeys(group.id)).filter((k) => k.key_value.startsWith('sk-bad')).map((k) => k.id)
    await app.deps.store.setKeyStatus(bad, 'invalid')
    await app.deps.pool.setStatus(group.id, bad, 'invalid')
    await page.goto(`${app.url}/groups/${group.id}`)
    await waitForText(page, '[data-testid=filter-invalid] .count', '1')
    await page.getByRole('button', { name: 'Copy', exact: true }).first().click()
    await page.locator('.modal select').selectOption('valid_only')
    await page.locator('.modal .btn.primary').click()
    await waitForText(page, '.toast', 'Copied to main-copy with 2 key(s)')
    const copy = app.deps.groups.byName('main-copy')
    expect(copy).toBeDefined()
    await page.waitForURL(`${app.url}/groups/${copy!.id}`)
    await waitForText(page, '[data-testid=group-endpoint]', '/proxy/main-copy')
    expect(rig.pageErrors).toEqual([])
  })

  test('an App URL that is not an http(s) URL is refused inline; empty is accepted', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
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
    expect(rig.pageErrors).toEqual([])
  })

  test('at phone width no page is wider than the screen; wide tables scroll in their own box', async () => {
    await using rig = await uiRig(browser, { viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const { app, page: p } = rig
    await mainGroup(app, rig.upstream.url, WALK_KEYS)
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
    expect(rig.pageErrors).toEqual([])
  })
})
