import { expect, test } from 'bun:test'
import { COOLDOWN_BASE_MS, COOLDOWN_MAX_MS, cooldownMs } from '../../server/pool/cooldown'

test('the upstream-given wait wins, rounded up and never negative', () => {
  expect([cooldownMs(1500.2, 5), cooldownMs(-10, 0), cooldownMs(0, 3)]).toEqual([1501, 0, 0])
})

test('the default doubles per repeat from 60 s and stops at 30 min', () => {
  expect([0, 1, 2, 5, 6, 100].map((r) => cooldownMs(null, r))).toEqual([
    COOLDOWN_BASE_MS,
    2 * COOLDOWN_BASE_MS,
    4 * COOLDOWN_BASE_MS,
    COOLDOWN_MAX_MS,
    COOLDOWN_MAX_MS,
    COOLDOWN_MAX_MS,
  ])
  expect([COOLDOWN_BASE_MS, COOLDOWN_MAX_MS]).toEqual([60_000, 1_800_000])
})
