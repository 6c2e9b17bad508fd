/** Small waits and shots for the browser test: wait for what a person would see, never for a fixed time. */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Page } from 'playwright-core'

const TMP_SHOT_DIR = join(import.meta.dir, '..', '.tmp', 'screenshots')
/** Screenshots go to docs/screenshots with UPDATE_SCREENSHOTS=1 (README shows them), else to tests/.tmp. */
export const SHOT_DIR = process.env.UPDATE_SCREENSHOTS ? join(import.meta.dir, '..', '..', 'docs', 'screenshots') : TMP_SHOT_DIR

/** `docs: false`: a shot for people checking the UI by eye, never copied into docs/screenshots. */
export async function shot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<void> {
  const path = join(opts.docs === false ? TMP_SHOT_DIR : SHOT_DIR, `${name}.png`)
  mkdirSync(dirname(path), { recursive: true })
  // Let dialogs finish fading in (finite CSS animations only: spinners and live dots never end), then one frame.
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)))
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
  })
  await page.screenshot({ path })
}

/** Waits until `selector` shows `text` (a substring), reloading the page each `reloadEveryMs` for live data. */
export async function waitForText(page: Page, selector: string, text: string, opts: { reloadEveryMs?: number; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000)
  for (;;) {
    try {
      await page.waitForFunction(
        ([sel, want]) => Array.from(document.querySelectorAll(sel as string)).some((el) => el.textContent?.includes(want as string)),
        [selector, text],
        { timeout: Math.min(opts.reloadEveryMs ?? 15_000, Math.max(1, deadline - Date.now())) },
      )
      return
    } catch (err) {
      if (Date.now() >= deadline) throw new Error(`"${text}" never appeared in ${selector}: ${(err as Error).message}`)
      if (opts.reloadEveryMs) await page.reload()
    }
  }
}

/** Waits until the form control `selector` holds exactly `value` (prefilled fields fill in after data loads). */
export async function waitForValue(page: Page, selector: string, value: string, timeoutMs = 15_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, want]) => (document.querySelector(sel as string) as HTMLInputElement | null)?.value === want,
      [selector, value],
      { timeout: timeoutMs },
    )
  } catch {
    const actual = await page.locator(selector).first().inputValue().catch(() => '(missing)')
    throw new Error(`${selector} never held "${value}"; it holds "${actual}"`)
  }
}

/** Waits for `selector` to be visible; on failure says where the page was and what it showed (and keeps a shot). */
export async function waitVisible(page: Page, selector: string, timeoutMs = 15_000): Promise<void> {
  try {
    await page.locator(selector).first().waitFor({ timeout: timeoutMs })
  } catch (err) {
    const text = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 400)
    await page.screenshot({ path: join(TMP_SHOT_DIR, 'failure.png') }).catch(() => {})
    throw new Error(`${selector} never showed on ${page.url()}; the page said: ${text} (${(err as Error).message.split('\n')[0]})`)
  }
}
