/**
 * The admin UI in a real browser (Debian's Chromium) against a real keypool node and a fake upstream:
 * log in, create a group, paste keys, proxy a request, find it in the logs and on the dashboard,
 * build an aggregate group over two standard ones, change a setting, switch language and theme.
 * Each test has its own node, upstream and browser context and builds what it needs (tests/browser/ui-rig.ts).
 * `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { shot, waitForText, waitForValue } from './page-helpers'
import { uiRig } from './ui-rig'

const run = chromiumAvailable()
const E2E_KEYS = ['sk-ok-e2e-alpha-0001', 'sk-ok-e2e-bravo-0002', 'sk-bad-e2e-charlie-03']

/** A standard openai group on the fake upstream, with keys. */
const openaiGroup = (app: TestApp, name: string, upstream: string, keys: string[] = []) =>
  seedGroup(app.deps, { name, channel_type: 'openai', upstreams: [{ url: upstream, weight: 1 }] }, keys)

/** `n` chat completions through a group, each answered 200. */
async function proxyRequests(app: TestApp, group: string, n: number, label: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${app.url}/proxy/${group}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `${label} ${i}` }] }),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).object).toBe('chat.completion')
  }
}

describe.skipIf(!run)('admin UI in Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  test('an unauthenticated visit lands on the login page; the admin key signs in', async () => {
    await using rig = await uiRig(browser, { signedIn: false })
    const { app, page } = rig
    await page.goto(`${app.url}/groups`)
    await page.waitForURL(/\/login/)
    await page.locator('input[name=auth_key]').waitFor()
    expect(await page.locator('.notice').count()).toBe(0) // never signed in: no "session ended" note
    expect(await page.locator('.toast').count()).toBe(0) // the refused API calls of /groups are no error toasts
    await shot(page, 'login')
    await page.fill('input[name=auth_key]', 'wrong-key')
    await page.click('button[type=submit]')
    await waitForText(page, '[role=alert]', 'invalid auth_key')
    await page.fill('input[name=auth_key]', TEST_AUTH_KEY)
    await page.click('button[type=submit]')
    await page.waitForURL(`${app.url}/groups`)
    // The key lives only in the HttpOnly cookie: nothing in storage holds it.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)
    expect(stored).not.toContain(TEST_AUTH_KEY)
    expect(rig.pageErrors).toEqual([])
  })

  test('a setting is checked inline and saved without a restart', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    await page.goto(`${app.url}/settings`)
    const retries = page.locator('[data-testid=setting-max_retries]')
    await retries.fill('1000')
    await waitForText(page, '[data-testid=error-max_retries]', 'At most 100')
    expect(await page.locator('[data-testid=settings-save]').isDisabled()).toBe(true)
    await retries.fill('5')
    await page.locator('[data-testid=setting-request_log_write_interval_minutes]').fill('0')
    await page.click('[data-testid=settings-save]')
    await waitForText(page, '.toast', 'Settings saved')
    expect(app.deps.settings.get()).toMatchObject({ max_retries: 5, request_log_write_interval_minutes: 0 })
    await page.click('.toast button') // the shot shows the settings, not the note over the save button
    await page.locator('.main').evaluate((el) => el.scrollTo(0, 0))
    await shot(page, 'settings')
    expect(rig.pageErrors).toEqual([])
  })

  test('a group is created with the form and its endpoint shown', async () => {
    await using rig = await uiRig(browser)
    const { app, page, upstream } = rig
    await page.goto(`${app.url}/groups`)
    await page.click('[data-testid=group-new]')
    await page.fill('[data-testid=group-name]', 'e2e')
    await page.fill('[data-testid=upstream-url]', upstream.url)
    await page.fill('[data-testid=config-max_retries]', '2')
    await page.locator('.modal-body').evaluate((el) => el.scrollTo(0, 0)) // the shot shows the top of the form
    await shot(page, 'group-form')
    await page.click('[data-testid=group-save]')
    await waitForText(page, '[data-testid=group-endpoint]', '/proxy/e2e')
    const group = app.deps.groups.byName('e2e')
    expect(group).toMatchObject({ channel_type: 'openai', upstreams: [{ url: upstream.url, weight: 1 }], config: { max_retries: 2 } })
    expect(rig.pageErrors).toEqual([])
  })

  test('pasted keys are added and listed with their state', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    const group = await openaiGroup(app, 'e2e', rig.upstream.url)
    await page.goto(`${app.url}/groups/${group.id}`)
    await page.click('[data-testid=keys-add]')
    await page.fill('[data-testid=keys-textarea]', 'sk-ok-e2e-alpha-0001\nsk-ok-e2e-bravo-0002, sk-bad-e2e-charlie-03\nsk-ok-e2e-alpha-0001')
    await page.click('[data-testid=keys-add-submit]')
    await waitForText(page, '.toast', '3 added, 1 ignored, 3 in the group')
    await waitForText(page, '[data-testid=key-table]', 'sk-ok…0001')
    expect(await page.locator('[data-testid=key-row]').count()).toBe(3)
    const table = await page.locator('[data-testid=key-table]').innerText()
    expect(table).not.toContain('sk-ok-e2e-alpha-0001') // masked
    expect(rig.pageErrors).toEqual([])
  })

  test('a key is disabled and enabled again from its row', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    const group = await openaiGroup(app, 'e2e', rig.upstream.url, E2E_KEYS)
    await page.goto(`${app.url}/groups/${group.id}`)
    const row = page.locator('[data-testid=key-row]', { hasText: 'sk-ok…0002' })
    await row.getByRole('button', { name: 'Disable' }).click()
    await waitForText(page, '[data-testid=key-row] .badge', 'Disabled')
    const stateOf = async () => (await app.deps.store.groupKeys(group.id)).find((k) => k.key_value === 'sk-ok-e2e-bravo-0002')?.status
    expect(await stateOf()).toBe('disabled')
    await row.getByRole('button', { name: 'Enable' }).click()
    await waitForText(page, '[data-testid=filter-active] .count', '3')
    expect(await stateOf()).toBe('active')
    expect(rig.pageErrors).toEqual([])
  })

  test('a proxied request shows in the logs, with its detail, and on the dashboard', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    // Logs at once, so the requests show up without waiting a minute.
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    await openaiGroup(app, 'e2e', rig.upstream.url, E2E_KEYS.slice(0, 2))
    await proxyRequests(app, 'e2e', 4, 'hello')
    await page.goto(`${app.url}/logs`)
    await waitForText(page, '[data-testid=log-table]', 'gpt-4o-mini', { reloadEveryMs: 1000 })
    await waitForText(page, '[data-testid=log-table]', 'e2e')
    await page.locator('[data-testid=log-row]').first().click()
    await waitForText(page, '[data-testid=log-detail]', '/v1/chat/completions')
    await shot(page, 'log-detail')
    await page.keyboard.press('Escape')
    await shot(page, 'logs')

    await page.goto(`${app.url}/`)
    await waitForText(page, '[data-testid=stat-requests] .stat-value', '4', { reloadEveryMs: 1000 })
    await page.locator('[data-testid=requests-chart] canvas').waitFor()
    await shot(page, 'dashboard')

    await page.goto(`${app.url}/groups`)
    await waitForText(page, '[data-testid=key-table]', 'sk-ok…0001')
    await shot(page, 'groups')
    expect(rig.pageErrors).toEqual([])
  })

  test('groups are reordered by dragging', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    await openaiGroup(app, 'e2e', rig.upstream.url)
    await seedGroup(app.deps, { name: 'claude', display_name: 'Anthropic', channel_type: 'anthropic', upstreams: [{ url: rig.upstream.url, weight: 1 }] })
    await page.goto(`${app.url}/groups`)
    await page.locator('[data-testid=group-claude]').waitFor()
    expect(app.deps.groups.all().map((g) => g.name)).toEqual(['e2e', 'claude'])
    await page.dragAndDrop('[data-testid=group-claude]', '[data-testid=group-e2e]')
    await waitForText(page, '.toast', 'Order saved')
    expect(app.deps.groups.all().map((g) => g.name)).toEqual(['claude', 'e2e'])
    expect(rig.pageErrors).toEqual([])
  })

  test("a new group starts from the channel type's defaults; typed fields stay when the type changes", async () => {
    await using rig = await uiRig(browser)
    const { app, page, upstream } = rig
    await page.goto(`${app.url}/groups`)
    await page.click('[data-testid=group-new]')
    const url = '[data-testid=upstream-url]'
    const model = '[data-testid=group-test-model]'
    await waitForValue(page, url, 'https://api.openai.com')
    await waitForValue(page, model, 'gpt-4o-mini')
    await page.selectOption('[data-testid=group-channel]', 'anthropic')
    await waitForValue(page, url, 'https://api.anthropic.com')
    await waitForValue(page, model, 'claude-3-5-haiku-latest')
    await page.fill(url, upstream.url)
    await page.selectOption('[data-testid=group-channel]', 'gemini')
    await waitForValue(page, model, 'gemini-2.0-flash')
    expect(await page.locator(url).inputValue()).toBe(upstream.url)
    await page.selectOption('[data-testid=group-channel]', 'openai')
    await waitForValue(page, model, 'gpt-4o-mini')
    // An added row is removed again (rows live in a store: removal must match them by id, not by proxy).
    await page.getByRole('button', { name: 'Add upstream' }).click()
    expect(await page.locator(url).count()).toBe(2)
    await page.locator('.rows-editor .row', { has: page.locator(url) }).nth(1).getByRole('button', { name: 'Remove' }).click()
    expect(await page.locator(url).count()).toBe(1)
    await page.fill('[data-testid=group-name]', 'pool-a')
    await page.click('[data-testid=group-save]')
    await waitForText(page, '[data-testid=group-endpoint]', '/proxy/pool-a')
    expect(app.deps.groups.byName('pool-a')).toMatchObject({ channel_type: 'openai', test_model: 'gpt-4o-mini', upstreams: [{ url: upstream.url, weight: 1 }] })
    expect(rig.pageErrors).toEqual([])
  })

  test('an aggregate group is built from two standard groups and spreads requests over them by weight', async () => {
    await using rig = await uiRig(browser)
    const { app, page, upstream } = rig
    await openaiGroup(app, 'e2e', upstream.url)
    await seedGroup(app.deps, { name: 'claude', channel_type: 'anthropic', upstreams: [{ url: upstream.url, weight: 1 }] })
    const a = await openaiGroup(app, 'pool-a', upstream.url, ['sk-ok-pool-a-0001'])
    const b = await openaiGroup(app, 'pool-b', upstream.url, ['sk-ok-pool-b-0002'])

    await page.goto(`${app.url}/groups`)
    await page.click('[data-testid=group-new]')
    await page.fill('[data-testid=group-name]', 'mix')
    await page.selectOption('[data-testid=group-type]', 'aggregate')
    await page.locator('[data-testid=sub-groups-editor]').waitFor()
    expect(await page.locator('[data-testid=upstream-url]').count()).toBe(0) // no upstreams of its own
    // The candidates are the standard openai groups only (never the anthropic one).
    await page.click('[data-testid=sub-group-add]')
    const options = await page.locator('[data-testid=sub-group-select] option').allInnerTexts()
    expect(options.sort()).toEqual(['e2e', 'pool-a', 'pool-b'])
    await page.locator('[data-testid=sub-group-select]').nth(0).selectOption(String(a.id))
    await page.click('[data-testid=sub-group-add]')
    await page.locator('[data-testid=sub-group-select]').nth(1).selectOption(String(b.id))
    await page.locator('[data-testid=sub-group-weight]').nth(0).fill('3')
    await shot(page, 'group-form-aggregate')
    await page.click('[data-testid=group-save]')
    await waitForText(page, '[data-testid=group-endpoint]', '/proxy/mix')
    expect(app.deps.groups.byName('mix')).toMatchObject({
      group_type: 'aggregate',
      sub_groups: [{ group_id: a.id, weight: 3 }, { group_id: b.id, weight: 1 }],
    })

    // Its detail shows the sub-groups with tiers, weights, shares and key counts, and no key table of its own.
    await waitForText(page, '[data-testid=sub-group-item]', 'pool-b')
    const rows = await page.locator('[data-testid=sub-group-item]').allInnerTexts()
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()).slice(0, 6))).toEqual([
      ['pool-a', '1', '3', '75%', '1', '1'],
      ['pool-b', '1', '1', '25%', '1', '1'],
    ])
    expect(await page.locator('[data-testid=key-table]').count()).toBe(0)
    await shot(page, 'groups-aggregate')

    await proxyRequests(app, 'mix', 4, 'mix')
    // Smooth weighted round robin over weights 3 and 1: exactly three requests on pool-a's key, one on pool-b's.
    expect(upstream.requests.map((r) => r.key).sort()).toEqual(['sk-ok-pool-a-0001', 'sk-ok-pool-a-0001', 'sk-ok-pool-a-0001', 'sk-ok-pool-b-0002'])

    // A sub-group is removed from the form.
    await page.click('[data-testid=group-edit]')
    await page.locator('[data-testid=sub-group-row]').nth(1).getByRole('button', { name: 'Remove' }).click()
    expect(await page.locator('[data-testid=sub-group-row]').count()).toBe(1)
    await page.click('[data-testid=group-save]')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=sub-group-item]').length === 1)
    expect(app.deps.groups.byName('mix')!.sub_groups).toEqual([{ group_id: a.id, weight: 3, priority: 1 }])
    expect(rig.pageErrors).toEqual([])
  })

  test('language and theme switch live and persist across a reload', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    const group = await openaiGroup(app, 'e2e', rig.upstream.url, E2E_KEYS)
    await proxyRequests(app, 'e2e', 3, 'hello')
    await page.goto(`${app.url}/`)
    await page.selectOption('[data-testid=lang-select]', 'zh-CN')
    await waitForText(page, '.nav', '仪表盘')
    await page.click('[data-testid=theme-dark]')
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.reload()
    await waitForText(page, '.nav', '分组与密钥')
    expect(await page.evaluate(() => [document.documentElement.dataset.theme, document.documentElement.lang])).toEqual(['dark', 'zh-CN'])
    await waitForText(page, '[data-testid=stat-requests] .stat-value', '3', { reloadEveryMs: 1000 })
    await shot(page, 'dashboard-dark-zh')
    await page.goto(`${app.url}/groups/${group.id}`)
    await waitForText(page, '[data-testid=key-table]', 'sk-ok…0001')
    await shot(page, 'groups-dark-zh')
    expect(rig.pageErrors).toEqual([])
  })

  test('logging out returns to the login page; the API then answers 401', async () => {
    await using rig = await uiRig(browser)
    const { app, page } = rig
    await page.goto(`${app.url}/`)
    await page.click('.logout')
    await page.waitForURL(/\/login/)
    const status = await page.evaluate(async () => (await fetch('/api/groups', { credentials: 'same-origin' })).status)
    expect(status).toBe(401)
    await page.goto(`${app.url}/logs`)
    await page.waitForURL(/\/login\?next=%2Flogs/)
    expect(rig.pageErrors).toEqual([])
  })
})
