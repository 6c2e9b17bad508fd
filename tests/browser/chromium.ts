/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Absent Chromium skips the browser
 * tests on a developer machine; with CI=true it is a failure, so a CI without it cannot pass silently.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

/** true when the browser tests should run; throws in CI when Chromium is missing. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  if (IN_CI) throw new Error(`CI=true but ${CHROMIUM_PATH} is missing: apt-get install -y chromium`)
  return false
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  })
}
