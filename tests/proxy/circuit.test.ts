import { expect, test } from 'bun:test'
import { Circuit } from '../../server/proxy/circuit'

test('closed until the fifth consecutive failure, then open for 30 s', () => {
  const c = new Circuit()
  for (let i = 0; i < 4; i++) c.failure(1000)
  expect(c.isOpen(1000)).toBe(false)
  c.failure(1000)
  expect([c.isOpen(1000), c.isOpen(30_999), c.isOpen(31_000)]).toEqual([true, true, false])
})

test('a success closes it and starts the count again', () => {
  const c = new Circuit()
  for (let i = 0; i < 5; i++) c.failure(0)
  c.success()
  expect(c.isOpen(0)).toBe(false)
  for (let i = 0; i < 4; i++) c.failure(0)
  expect(c.isOpen(0)).toBe(false)
})
