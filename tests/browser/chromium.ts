/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Absent Chromium skips the browser
 * tests on a developer machine; in CI it is a failure (tests/support/ci-gate.ts).
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { serviceGate } from '../support/ci-gate'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** true when the browser tests should run; throws in CI when Chromium is missing. */
export function chromiumAvailable(): boolean {
  const missing = existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is missing`
  return serviceGate('browser tests', missing, 'apt-get install -y chromium, or set CHROMIUM_PATH')
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  })
}
