/**
 * Access keys in the admin UI, in Chromium against a real keypool node and the fake upstream: a key created in the
 * form shows its secret once (copied through the clipboard) and works on the proxy; its usage and cost show in
 * the list, on the dashboard and in the logs (filtered by the key); a limit edited in the form is enforced;
 * rotation shows a new secret and kills the old one; disable, enable and delete; model prices edited on the
 * settings page; the page in Chinese. Each test makes its own keys, so any one of them can run alone.
 * `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots (light and dark).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { pageOn } from './ui-rig'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, waitFor, type TestApp } from '../support/test-app'
import { chromiumAvailable, launchChromium } from './chromium'
import { shot, waitForText, waitVisible } from './page-helpers'

const run = chromiumAvailable()
const MODEL = 'gpt-4o-mini'

describe.skipIf(!run)('access keys in the admin UI', () => {
  let app: TestApp
  let upstream: FakeUpstream
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let pageErrors: string[] = []

  /** A key made through the admin API (the tests that are not about the create form start from one). */
  const createKey = async (body: Record<string, unknown>): Promise<{ id: number; key: string }> => {
    const res = await app.api('/api/access-keys', { method: 'POST', body: JSON.stringify(body) })
    const json = (await res.json()) as { data: { id: number; key: string } }
    expect(res.status).toBe(200)
    return json.data
  }

  const chat = (secret: string, text = 'hello') =>
    fetch(`${app.url}/proxy/ak/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: text }] }),
    })

  const chatOk = async (secret: string, text?: string) => {
    const res = await chat(secret, text)
    const body = await res.text()
    expect({ status: res.status, body: res.status === 200 ? '' : body }).toEqual({ status: 200, body: '' })
  }

  const row = (name: string) => page.locator(`[data-testid=ak-row][data-name="${name}"]`)

  const openAccessKeys = async () => {
    await page.goto(`${app.url}/access-keys`)
    await waitVisible(page, '[data-testid=ak-new]')
  }

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    upstream = await startFakeUpstream()
    app = await createTestApp({ ui: true })
    await seedGroup(app.deps, { name: 'ak', upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-ok-ak-upstream-0001'])
    await seedGroup(app.deps, { name: 'other', upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-ok-ak-upstream-0002'])
    // log rows at once, so a request shows in the logs and usage without waiting a flush interval
    const res = await app.api('/api/settings', { method: 'PUT', body: JSON.stringify({ request_log_write_interval_minutes: 0 }) })
    expect(res.status).toBe(200)
    browser = await launchChromium()
    ;({ context, page, pageErrors } = await pageOn(browser, app, { signedIn: 'form', permissions: ['clipboard-read', 'clipboard-write'] }))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await upstream?.stop()
  })

  test('a key made in the form shows its secret once, copied through the clipboard, and it works on the proxy', async () => {
    await openAccessKeys()
    await page.click('[data-testid=ak-new]')
    await page.fill('[data-testid=ak-name]', 'mobile-app')
    await page.fill('[data-testid=ak-notes]', 'iOS and Android clients')
    await page.locator('[data-testid=ak-groups] label', { hasText: 'ak' }).first().click()
    await page.fill('[data-testid=ak-models]', 'gpt-4o*')
    await page.fill('[data-testid=ak-rpm_limit]', '600')
    await page.fill('[data-testid=ak-cost_budget_usd]', '25')
    await page.selectOption('[data-testid=ak-period]', 'month')
    await shot(page, 'access-key-form')
    await page.click('[data-testid=ak-save]')

    await waitVisible(page, '[data-testid=secret-value]')
    const secret = (await page.locator('[data-testid=secret-value]').innerText()).trim()
    expect(secret).toMatch(/^kp-[0-9A-Za-z]{40}$/)
    await page.click('[data-testid=secret-copy]')
    await waitFor(async () => (await page.evaluate(() => navigator.clipboard.readText())) === secret, 5000, 'the secret in the clipboard')
    await shot(page, 'access-key-secret')
    await page.click('[data-testid=secret-done]')

    // the stored key has what the form said, and the secret is nowhere on the page any more
    const stored = (await app.deps.store.listAccessKeys()).find((k) => k.name === 'mobile-app')
    expect(stored).toMatchObject({ groups: ['ak'], models: ['gpt-4o*'], rpm_limit: 600, cost_budget_usd: 25, budget_period: 'month', notes: 'iOS and Android clients' })
    await waitVisible(page, '[data-testid=ak-row][data-name="mobile-app"]')
    expect(await page.content()).not.toContain(secret)
    await page.reload()
    await waitVisible(page, '[data-testid=ak-row][data-name="mobile-app"]')
    expect(await page.content()).not.toContain(secret)

    // the copied secret is an access key on the proxy; the upstream sees the pool's key, never the secret
    upstream.reset()
    await chatOk(secret)
    expect(upstream.requests.map((r) => r.key)).toEqual(['sk-ok-ak-upstream-0001'])
    // outside its group scope it is refused
    const other = await fetch(`${app.url}/proxy/other/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(other.status).toBe(403)
    await other.text()

    // its usage and cost show in the list
    const costLabel = () => row('mobile-app').locator('[data-testid=ak-cost]').innerText()
    await waitFor(
      async () => {
        await page.reload()
        await waitVisible(page, '[data-testid=ak-row][data-name="mobile-app"]')
        return !(await costLabel()).startsWith('$0.00 ')
      },
      15_000,
      'a cost above $0.00 in the list',
    )
    expect(await costLabel()).toMatch(/^\$0\.0*[1-9]\d* \/ \$25\.00$/)
    await shot(page, 'access-keys')
  })

  test('the usage of a key shows in its chart, on the dashboard and in the logs filtered by it', async () => {
    const busy = await createKey({ name: 'reporting', token_budget: 100000, budget_period: 'day' })
    const quiet = await createKey({ name: 'quiet-bot' })
    for (let i = 0; i < 3; i++) await chatOk(busy.key, `report ${i}`)
    await chatOk(quiet.key, 'ping')

    await openAccessKeys()
    // the tokens of its three answers against its budget, as the logs counted them
    const logs = (await (await app.api(`/api/logs?access_key_id=${busy.id}`)).json()) as { data: { items: { total_tokens: number }[] } }
    expect(logs.data.items.length).toBe(3)
    const tokens = logs.data.items.reduce((n, l) => n + l.total_tokens, 0)
    expect(tokens).toBeGreaterThan(0)
    await waitForText(page, '[data-testid=ak-row][data-name="reporting"] [data-testid=ak-tokens]', `${tokens} / 100K`, { reloadEveryMs: 1000 })
    expect(await row('reporting').locator('[data-testid=ak-tokens] .meter-track').count()).toBe(1)
    expect(await row('reporting').locator('[data-testid=ak-usage]').innerText()).toContain('Per day')
    await row('reporting').locator('[data-testid=ak-chart]').click()
    await waitForText(page, '[data-testid=usage-totals]', '3 request(s)')
    await page.locator('[data-testid=usage-chart] canvas').waitFor()
    await page.click('[data-testid=usage-metric-cost]')
    await waitForText(page, '[data-testid=usage-chart]', 'Cost')
    await shot(page, 'access-key-usage')
    await page.keyboard.press('Escape')

    await page.goto(`${app.url}/`)
    await waitForText(page, '[data-testid=top-keys]', 'reporting', { reloadEveryMs: 1000 })
    await waitForText(page, '[data-testid=top-models]', MODEL)
    // the cards and the top lists are fetched side by side: the cost card may need the next refresh
    const costCard = page.locator('[data-testid=stat-cost] .stat-value')
    await waitFor(async () => /^\$0\.0*[1-9]/.test(await costCard.innerText()) || (await page.reload(), false), 15_000, 'a cost on the dashboard')
    // the busier key is listed first
    const names = await page.locator('[data-testid=top-keys] .name').allInnerTexts()
    expect(names.indexOf('reporting')).toBeLessThan(names.indexOf('quiet-bot'))
    await page.locator('[data-testid=cost-chart] canvas').waitFor()
    await shot(page, 'dashboard-cost')

    await page.goto(`${app.url}/logs`)
    await waitVisible(page, '[data-testid=log-access-key]')
    await page.selectOption('[data-testid=log-access-key]', { label: 'reporting' })
    await page.click('.filters button[type=submit]')
    await waitForText(page, '[data-testid=log-table]', 'reporting')
    await waitFor(async () => (await page.locator('[data-testid=log-row]').count()) === 3, 10_000, 'three rows of the key')
    const keyCells = await page.locator('[data-testid=log-row] [data-testid=log-cell-access-key]').allInnerTexts()
    expect(keyCells).toEqual(['reporting', 'reporting', 'reporting'])
    const costCells = await page.locator('[data-testid=log-row] [data-testid=log-cell-cost]').allInnerTexts()
    for (const c of costCells) expect(c).toMatch(/^\$0\.\d*[1-9]/)
    await page.locator('[data-testid=log-row]').first().click()
    await waitForText(page, '[data-testid=log-detail]', 'reporting')
    await page.keyboard.press('Escape')
    expect(await page.locator('[data-testid=logs-export]').getAttribute('href')).toContain(`access_key_id=${busy.id}`)
  })

  test('the list is searched by name on the server', async () => {
    await createKey({ name: 'search-alpha' })
    await createKey({ name: 'search-beta' })
    await openAccessKeys()
    await page.fill('[data-testid=ak-search]', 'ALPHA')
    await page.press('[data-testid=ak-search]', 'Enter')
    await waitFor(async () => (await page.locator('[data-testid=ak-row]').count()) === 1, 5000, 'one row left')
    expect(await page.locator('[data-testid=ak-row]').getAttribute('data-name')).toBe('search-alpha')
    await page.fill('[data-testid=ak-search]', 'no-such-key')
    await page.press('[data-testid=ak-search]', 'Enter')
    await waitForText(page, '.empty', 'No access key has that in its name.')
    await page.fill('[data-testid=ak-search]', '')
    await page.press('[data-testid=ak-search]', 'Enter')
    await waitFor(async () => (await row('search-beta').count()) === 1, 5000, 'every key listed again')
  })

  test('a limit edited in the form is enforced on the proxy', async () => {
    const k = await createKey({ name: 'limited' })
    await openAccessKeys()
    await row('limited').locator('[data-testid=ak-edit]').click()
    await page.fill('[data-testid=ak-rpm_limit]', '-1')
    await page.click('[data-testid=ak-save]')
    await waitForText(page, '.modal .field-error', 'A whole number, 0 or more')
    await page.fill('[data-testid=ak-rpm_limit]', '2')
    await page.fill('[data-testid=ak-ips]', 'not-an-ip')
    await page.click('[data-testid=ak-save]')
    await waitForText(page, '.modal .field-error', 'Not an IP address or CIDR range: not-an-ip')
    await page.fill('[data-testid=ak-ips]', '127.0.0.1/32\n::1')
    await page.click('[data-testid=ak-save]')
    await waitForText(page, '[data-testid=ak-row][data-name="limited"] [data-testid=ak-limits]', '2 req./min')
    expect((await app.deps.store.getAccessKey(k.id))?.rpm_limit).toBe(2)
    expect((await app.deps.store.getAccessKey(k.id))?.ip_allowlist).toEqual(['127.0.0.1/32', '::1'])

    await chatOk(k.key, 'one')
    await chatOk(k.key, 'two')
    const third = await chat(k.key, 'three')
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/)
    await third.text()
  })

  test('an expiry set in the form refuses the key once it has passed; clearing it lets the key in again', async () => {
    const k = await createKey({ name: 'contractor' })
    await chatOk(k.key)
    await openAccessKeys()
    await row('contractor').locator('[data-testid=ak-edit]').click()
    await page.fill('[data-testid=ak-expires]', '2020-01-31T18:00')
    await page.click('[data-testid=ak-save]')
    await waitForText(page, '[data-testid=ak-row][data-name="contractor"] [data-testid=ak-state]', 'Expired')
    // the browser's local time, as typed, is the instant stored
    expect((await app.deps.store.getAccessKey(k.id))?.expires_at).toBe(await page.evaluate(() => new Date('2020-01-31T18:00').getTime()))
    const refused = await chat(k.key)
    expect(refused.status).toBe(401)
    await refused.text()

    await row('contractor').locator('[data-testid=ak-edit]').click()
    expect(await page.locator('[data-testid=ak-expires]').inputValue()).toBe('2020-01-31T18:00')
    await page.fill('[data-testid=ak-expires]', '')
    await page.click('[data-testid=ak-save]')
    await waitForText(page, '[data-testid=ak-row][data-name="contractor"] [data-testid=ak-state]', 'Enabled')
    expect((await app.deps.store.getAccessKey(k.id))?.expires_at).toBeNull()
    await chatOk(k.key)
  })

  test('a group deleted after a key was scoped to it shows struck through in the form and can be unticked', async () => {
    const temp = await seedGroup(app.deps, { name: 'short-lived', upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-ok-ak-upstream-0003'])
    const k = await createKey({ name: 'scoped-to-gone', groups: ['ak', 'short-lived'] })
    const del = await app.api(`/api/groups/${temp.id}`, { method: 'DELETE' })
    expect(del.status).toBe(200)
    await openAccessKeys()
    await row('scoped-to-gone').locator('[data-testid=ak-edit]').click()
    const gone = page.locator('[data-testid=ak-groups] label.missing')
    await waitVisible(page, '[data-testid=ak-groups] label.missing', 5000)
    expect(await gone.innerText()).toBe('short-lived')
    // unticked, a group that no longer exists leaves the list
    await gone.locator('input').click()
    await waitFor(async () => (await gone.count()) === 0, 5000, 'the struck-through group gone')
    await page.click('[data-testid=ak-save]')
    await waitForText(page, '.toast', 'Access key saved')
    expect((await app.deps.store.getAccessKey(k.id))?.groups).toEqual(['ak'])
  })

  test('rotating shows a new secret once; the old one stops working at once', async () => {
    const k = await createKey({ name: 'rotating' })
    await chatOk(k.key)
    await openAccessKeys()
    await row('rotating').locator('[data-testid=ak-rotate]').click()
    await waitForText(page, '.modal', 'Its current key stops working at once')
    await page.locator('.modal .btn.danger').click()
    await waitVisible(page, '[data-testid=secret-value]')
    const fresh = (await page.locator('[data-testid=secret-value]').innerText()).trim()
    expect(fresh).toMatch(/^kp-[0-9A-Za-z]{40}$/)
    expect(fresh).not.toBe(k.key)
    await page.click('[data-testid=secret-done]')
    const old = await chat(k.key)
    expect(old.status).toBe(401)
    await old.text()
    await chatOk(fresh)
    await waitForText(page, '[data-testid=ak-row][data-name="rotating"] .sub.mono', fresh.slice(0, 8))
  })

  test('a key is disabled, enabled again and deleted after a confirmation', async () => {
    const k = await createKey({ name: 'switch' })
    await openAccessKeys()
    await row('switch').locator('[data-testid=ak-toggle]').click()
    await waitForText(page, '[data-testid=ak-row][data-name="switch"] [data-testid=ak-state]', 'Disabled')
    await waitFor(async () => (await app.deps.store.getAccessKey(k.id))?.enabled === false, 5000, 'the key disabled in the store')
    const refused = await chat(k.key)
    expect(refused.status).toBe(401)
    await refused.text()
    await row('switch').locator('[data-testid=ak-toggle]').click()
    await waitForText(page, '[data-testid=ak-row][data-name="switch"] [data-testid=ak-state]', 'Enabled')
    await chatOk(k.key)

    await row('switch').locator('[data-testid=ak-delete]').click()
    await waitForText(page, '.modal', 'Delete access key "switch"?')
    await page.locator('.modal .btn.ghost', { hasText: 'Cancel' }).click()
    expect(await row('switch').count()).toBe(1)
    await row('switch').locator('[data-testid=ak-delete]').click()
    await page.locator('.modal .btn.danger').click()
    await waitForText(page, '.toast', 'Access key deleted')
    await waitFor(async () => (await row('switch').count()) === 0, 5000, 'the row gone')
    expect(await app.deps.store.getAccessKey(k.id)).toBeNull()
    const gone = await chat(k.key)
    expect(gone.status).toBe(401)
    await gone.text()
  })

  test('model prices are edited on the settings page', async () => {
    await page.goto(`${app.url}/settings`)
    await waitVisible(page, '[data-testid=price-row]')
    expect(await page.locator('[data-testid=price-row]').count()).toBeGreaterThan(3) // the shipped defaults
    await page.click('[data-testid=price-add]')
    const added = page.locator('[data-testid=price-row]').last()
    await added.locator('[data-testid=price-model]').fill('house-model-*')
    await added.locator('[data-testid=price-input_per_mtok]').fill('1.5')
    await added.locator('[data-testid=price-output_per_mtok]').fill('6')
    await page.click('[data-testid=prices-save]')
    await waitForText(page, '.toast', 'Model prices saved')
    const res = await app.api('/api/model-prices')
    const prices = JSON.stringify(await res.json())
    expect(prices).toContain('house-model-*')
    await page.reload()
    await waitVisible(page, '[data-testid=price-row]')
    const models = await page.locator('[data-testid=price-model]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))
    expect(models).toContain('house-model-*')
  })

  test('the page in Chinese, and in the dark theme', async () => {
    await createKey({ name: 'zh-team', rpm_limit: 60, cost_budget_usd: 10, budget_period: 'week' })
    await using zh = await pageOn(browser, app, { signedIn: 'form', locale: 'zh-CN', colorScheme: 'dark' })
    const p = zh.page
    await p.goto(`${app.url}/access-keys`)
    await waitForText(p, 'h1', '访问密钥')
    await waitForText(p, '.nav', '访问密钥')
    await waitForText(p, '[data-testid=ak-row][data-name="zh-team"]', '每分钟 60 次')
    await waitForText(p, '[data-testid=ak-row][data-name="zh-team"]', '每周')
    await p.click('[data-testid=ak-new]')
    await waitForText(p, '.modal', '速率限制')
    await waitForText(p, '.modal', '费用预算（美元）')
    await shot(p, 'access-key-form-zh-dark')
    await p.keyboard.press('Escape')
    expect(await p.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await shot(p, 'access-keys-zh-dark')
    expect(zh.pageErrors).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
