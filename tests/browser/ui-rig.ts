/**
 * What one browser test needs, its own: a keypool node with the UI, a fake upstream, and a browser context (own
 * cookies and localStorage, so language, theme and session never leak between tests), signed in unless asked not
 * to be. Tests build the groups and keys they need themselves, so they pass alone and in any order.
 *
 *   await using rig = await uiRig(browser)
 *   const group = await seedGroup(rig.app.deps, { name: 'e2e', upstreams: [{ url: rig.upstream.url, weight: 1 }] })
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, TEST_AUTH_KEY, type TestApp } from '../support/test-app'

export interface UiRig {
  app: TestApp
  upstream: FakeUpstream
  context: BrowserContext
  page: Page
  /** Script errors the page raised (every test expects none). */
  pageErrors: string[]
  [Symbol.asyncDispose](): Promise<void>
}

export interface UiRigOptions extends BrowserContextOptions {
  /**
   * default true: the context holds an admin session cookie before the first page opens; 'form': signed in through
   * the login form, as a person does; false: not signed in
   */
  signedIn?: boolean | 'form'
}

export async function uiRig(browser: Browser, opts: UiRigOptions = {}): Promise<UiRig> {
  const upstream = await startFakeUpstream()
  const app = await createTestApp({ ui: true })
  const view = await pageOn(browser, app, opts)
  return {
    app,
    upstream,
    ...view,
    async [Symbol.asyncDispose]() {
      await view[Symbol.asyncDispose]()
      await app.stop()
      await upstream.stop()
    },
  }
}

export type UiPage = Pick<UiRig, 'context' | 'page' | 'pageErrors' | typeof Symbol.asyncDispose>

/** A fresh browser context and page on a node that several tests share (data too big to build per test). */
export async function pageOn(browser: Browser, app: TestApp, opts: UiRigOptions = {}): Promise<UiPage> {
  const { signedIn = true, ...contextOptions } = opts
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light', ...contextOptions })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  if (signedIn === 'form') await signInWithForm(page, app)
  else if (signedIn) await signIn(context, app)
  return { context, page, pageErrors, [Symbol.asyncDispose]: () => context.close() }
}

/** An admin session in `context`: the login API sets the HttpOnly cookie the pages then send. */
export async function signIn(context: BrowserContext, app: TestApp): Promise<void> {
  const res = await context.request.post(`${app.url}/api/auth/login`, { data: { auth_key: TEST_AUTH_KEY } })
  if (!res.ok()) throw new Error(`login failed: ${res.status()} ${await res.text()}`)
}

/** Signs in through the login form, as a person does, and waits until the app has left the login page. */
export async function signInWithForm(page: Page, app: TestApp): Promise<void> {
  await page.goto(`${app.url}/login`)
  await page.fill('input[name=auth_key]', TEST_AUTH_KEY)
  await page.click('button[type=submit]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}
