/**
 * The admin UI with 100,000 keys in one group, in every language and both themes: the key table shows one server
 * page, the counts per state are right, paging/filtering/search work, and every page renders without a script error.
 * Shots of every page in each look go to tests/.tmp/screenshots/tour (docs/screenshots gets two of them).
 * The seeded node is shared (read only: no test changes its data); each test has its own browser context.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { createTestApp, seedGroup, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { shot, waitForText, waitForValue, waitVisible } from './page-helpers'
import { pageOn } from './ui-rig'

const run = chromiumAvailable()
const TOTAL = 100_000
const INVALID = 1_000
const DISABLED = 250
/** Distinct, realistic-looking keys (their masks differ too), reproducible from the index. */
const keyValue = (i: number) => `sk-${Bun.hash(`bulk-${i}`).toString(16).padStart(16, '0')}${String(i).padStart(6, '0')}`

describe.skipIf(!run)('admin UI with 100,000 keys in one group', () => {
  let app: TestApp
  let browser: Browser
  let groupId = 0

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    app = await createTestApp({ ui: true })
    const keys = Array.from({ length: TOTAL }, (_, i) => keyValue(i))
    const group = await seedGroup(app.deps, { name: 'bulk', display_name: 'Bulk OpenAI', upstreams: [{ url: 'https://api.example.test', weight: 1 }] }, keys)
    groupId = group.id
    const stored = await app.deps.store.groupKeys(group.id)
    // As the admin routes do: the row and the live pool state both change.
    for (const [ids, status] of [[stored.slice(0, INVALID).map((k) => k.id), 'invalid'], [stored.slice(INVALID, INVALID + DISABLED).map((k) => k.id), 'disabled']] as const) {
      await app.deps.store.setKeyStatus(ids, status)
      await app.deps.pool.setStatus(group.id, ids, status)
    }
    await seedGroup(app.deps, { name: 'claude', display_name: 'Anthropic', channel_type: 'anthropic', upstreams: [{ url: 'https://api.example.test', weight: 1 }] })

    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  test('the key table shows one page of 50 with the right counts per state', async () => {
    await using view = await pageOn(browser, app)
    const { page } = view
    await page.goto(`${app.url}/groups/${groupId}`)
    await waitForText(page, '[data-testid=filter-all] .count', '100,000')
    const count = async (f: string) => (await page.locator(`[data-testid=filter-${f}] .count`).innerText()).trim()
    expect({ all: await count('all'), active: await count('active'), invalid: await count('invalid'), disabled: await count('disabled'), cooling: await count('cooling') })
      .toEqual({ all: '100,000', active: '98,750', invalid: '1,000', disabled: '250', cooling: '0' })
    await waitForText(page, '[data-testid=pager-total]', '100,000 in total')
    expect(await page.locator('[data-testid=key-row]').count()).toBe(50)
    expect(await page.locator('.pager-page').innerText()).toContain('of 2,000')
    expect(view.pageErrors).toEqual([])
  })

  test('paging jumps to the last page; filters and search ask the server, not the browser', async () => {
    await using view = await pageOn(browser, app)
    const { page } = view
    await page.goto(`${app.url}/groups/${groupId}`)
    await waitForText(page, '[data-testid=pager-total]', '100,000 in total')
    await page.fill('[data-testid=pager-page]', '2000')
    await page.press('[data-testid=pager-page]', 'Enter')
    await waitForValue(page, '[data-testid=pager-page]', '2000')
    await waitForText(page, '[data-testid=key-table]', `…${keyValue(TOTAL - 1).slice(-4)}`)
    expect(await page.locator('[data-testid=key-row]').count()).toBe(50)
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true)

    await page.click('[data-testid=filter-invalid]')
    await waitForText(page, '[data-testid=pager-total]', '1,000 in total')
    await waitForValue(page, '[data-testid=pager-page]', '1')
    expect(await page.locator('.pager-page').innerText()).toContain('of 20')
    const states = await page.locator('[data-testid=key-row] .badge').allInnerTexts()
    expect(new Set(states)).toEqual(new Set(['Invalid']))

    await page.click('[data-testid=filter-all]')
    await page.fill('input[type=search]', keyValue(77_777))
    await page.press('input[type=search]', 'Enter')
    await waitForText(page, '[data-testid=pager-total]', '1 in total')
    expect(await page.locator('[data-testid=key-row]').count()).toBe(1)
    await page.fill('input[type=search]', '')
    await waitForText(page, '[data-testid=pager-total]', '100,000 in total')
    expect(view.pageErrors).toEqual([])
  })

  const KEY_COUNTS = {
    en: '98,750 active · 0 cooling · 1,000 invalid · 250 disabled',
    'zh-CN': '98,750 可用 · 0 冷却 · 1,000 失效 · 250 禁用',
    ja: '有効 98,750 · クールダウン中 0 · 無効 1,000 · 停止中 250',
  } as const
  for (const lang of ['en', 'zh-CN', 'ja'] as const)
    for (const theme of ['light', 'dark'] as const)
      test(`every page renders in ${lang}, ${theme}`, async () => {
        await using view = await pageOn(browser, app)
        const { page } = view
        // the UI reads both from localStorage: set them on this context's origin before the first real page
        await page.goto(`${app.url}/login`)
        await page.evaluate(([l, th]) => (localStorage.setItem('keypool.lang', l!), localStorage.setItem('keypool.theme', th!)), [lang, theme])
        const name = (p: string) => `tour/${p}-${lang}-${theme}`
        await page.goto(`${app.url}/`)
        await waitVisible(page, '[data-testid=requests-chart]')
        expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme])).toEqual([lang, theme])
        await waitForText(page, '[data-testid=stat-keys]', KEY_COUNTS[lang])
        await shot(page, name('dashboard'), { docs: false })
        await page.goto(`${app.url}/groups/${groupId}`)
        await waitForText(page, '[data-testid=filter-all] .count', '100,000')
        expect(await page.locator('[data-testid=key-row]').count()).toBe(50)
        await shot(page, name('groups'), { docs: false })
        const docName = lang === 'en' && theme === 'light' ? 'keys-100k' : lang === 'zh-CN' && theme === 'dark' ? 'keys-100k-dark-zh' : null
        if (docName) await shot(page, docName)
        await page.click('[data-testid=group-new]')
        await waitVisible(page, '[data-testid=group-name]')
        await shot(page, name('group-form'), { docs: false })
        await page.keyboard.press('Escape')
        await page.click('[data-testid=keys-add]')
        await waitVisible(page, '[data-testid=keys-textarea]')
        await shot(page, name('add-keys'), { docs: false })
        await page.keyboard.press('Escape')
        await page.goto(`${app.url}/logs`)
        await waitVisible(page, '[data-testid=log-table]')
        await shot(page, name('logs'), { docs: false })
        await page.goto(`${app.url}/settings`)
        await waitVisible(page, '[data-testid=settings-save]')
        await shot(page, name('settings'), { docs: false })
        expect(view.pageErrors).toEqual([])
      })
})
