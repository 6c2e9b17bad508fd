/**
 * Paced keys in the key table of a real browser: a key resting at its group's RPM limit is shown "Paced" with its
 * end, apart from a key cooling after a 429, in English and Chinese.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { pageOn } from './ui-rig'
import type { Browser, Page } from 'playwright-core'
import { ensureUiBuilt } from '../../scripts/build-ui'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, type TestApp } from '../support/test-app'
import { ManualClock } from '../pool/helpers'
import { chat } from '../proxy/helpers'
import { chromiumAvailable, launchChromium } from './chromium'
import { waitForText } from './page-helpers'

const run = chromiumAvailable()

describe.skipIf(!run)('paced keys in the key table', () => {
  let app: TestApp
  let upstream: FakeUpstream
  let browser: Browser
  let page: Page
  let groupId = 0
  let pageErrors: string[] = []

  beforeAll(async () => {
    await ensureUiBuilt({ log: () => {} })
    upstream = await startFakeUpstream()
    // a clock that stands still: the rest and the cooldown cannot end while the test looks at them
    app = await createTestApp({ ui: true, clock: new ManualClock(Date.now()) })
    const group = await seedGroup(
      app.deps,
      { name: 'paced', upstreams: [{ url: upstream.url, weight: 1 }], config: { key_rpm_limit: 1 } },
      ['sk-ok-paced-alpha-0001', 'sk-429long-bravo-0002'],
    )
    groupId = group.id
    upstream.setBehavior('sk-429long-bravo-0002', '429long')
    // whichever key comes first: the ok key serves its one request a minute, the 429 key answers 429 and cools
    const statuses = [(await chat(`${app.url}/proxy/paced`)).status, (await chat(`${app.url}/proxy/paced`)).status]
    expect(statuses).toContain(200)
    expect(upstream.requests.map((r) => r.key).sort()).toEqual(['sk-429long-bravo-0002', 'sk-ok-paced-alpha-0001'])
    browser = await launchChromium()
    ;({ page, pageErrors } = await pageOn(browser, app, { signedIn: 'form' }))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await upstream?.stop()
  })

  test('a paced key is "Paced" with its end; a 429 key is "Cooling"', async () => {
    await page.goto(`${app.url}/groups/${groupId}`)
    await waitForText(page, '[data-testid=key-table]', 'sk-ok…0001')
    const paced = page.locator('[data-testid=key-row]', { hasText: 'sk-ok…0001' }).locator('.badge')
    const cooling = page.locator('[data-testid=key-row]', { hasText: 'sk-42…0002' }).locator('.badge')
    expect(await paced.innerText()).toBe('Paced')
    expect(await paced.getAttribute('title')).toContain('requests-per-minute limit until')
    expect(await cooling.innerText()).toBe('Cooling')
    expect(await paced.evaluate((el) => getComputedStyle(el).color)).not.toBe(await cooling.evaluate((el) => getComputedStyle(el).color))
    await page.evaluate(() => localStorage.setItem('keypool.lang', 'zh-CN'))
    await page.reload()
    await waitForText(page, '[data-testid=key-table]', '限速中')
    expect(pageErrors).toEqual([])
  })
})
