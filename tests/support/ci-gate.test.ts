import { expect, spyOn, test } from 'bun:test'
import { isCi, serviceGate } from './ci-gate'

test('CI is any non-empty value but false and 0', () => {
  const seen = Object.fromEntries(['true', '1', 'yes', 'TRUE', ' true ', 'false', 'FALSE', '0', '', ' '].map((v) => [v, isCi(v)]))
  expect(seen).toEqual({ true: true, 1: true, yes: true, TRUE: true, ' true ': true, false: false, FALSE: false, 0: false, '': false, ' ': false })
  expect(isCi(undefined)).toBe(false)
})

test('a present service runs, in CI or not', () => {
  expect(serviceGate('Redis tests', null, 'set TEST_REDIS_URL', true)).toBe(true)
  expect(serviceGate('Redis tests', null, 'set TEST_REDIS_URL', false)).toBe(true)
})

test('a missing service fails in CI, naming what and how to fix it', () => {
  expect(() => serviceGate('Redis tests', 'unreachable at redis://x', 'set TEST_REDIS_URL', true)).toThrow(
    'Redis tests cannot run and CI is set: unreachable at redis://x (set TEST_REDIS_URL)',
  )
})

test('a missing service outside CI skips with a message', () => {
  const warn = spyOn(console, 'warn').mockImplementation(() => {})
  try {
    expect(serviceGate('Redis tests', 'unreachable at redis://x', 'set TEST_REDIS_URL', false)).toBe(false)
    expect(warn.mock.calls).toEqual([['skipping Redis tests: unreachable at redis://x (set TEST_REDIS_URL)']])
  } finally {
    warn.mockRestore()
  }
})
