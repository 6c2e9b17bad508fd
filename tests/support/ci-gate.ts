/**
 * The one "skip unless CI" gate for tests that need a service the machine may lack (PostgreSQL, Redis,
 * redis-server, Chromium). On a developer machine a missing service skips those tests with a message; in CI it is
 * a failure, so a CI that lacks it cannot pass silently. CI is any non-empty CI value but "false" and "0"
 * (CI=true, CI=1, CI=yes: runners spell it differently).
 */

export function isCi(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase() ?? ''
  return v !== '' && v !== 'false' && v !== '0'
}

export const IN_CI = isCi(process.env.CI)

/**
 * true when the service is there (`missing` null). Otherwise: throws in CI, else warns and returns false.
 * `what` names the tests ("PostgreSQL tests"), `missing` says what is wrong, `fix` how to provide it.
 */
export function serviceGate(what: string, missing: string | null, fix: string, inCi = IN_CI): boolean {
  if (missing === null) return true
  if (inCi) throw new Error(`${what} cannot run and CI is set: ${missing} (${fix})`)
  console.warn(`skipping ${what}: ${missing} (${fix})`)
  return false
}
