/** The circuit's states driven by an explicit clock: closed, open for the cool-off, half-open with one probe. */
import { describe, expect, test } from 'bun:test'
import { Circuit } from '../../server/proxy/circuit'

const OPEN_MS = 30_000

function opened(at: number): Circuit {
  const c = new Circuit()
  for (let i = 0; i < 5; i++) c.failure(at)
  return c
}

/** What a stream of requests sees at `now`: the ones let through are dispatched, like the proxy does. */
function admitted(c: Circuit, now: number, requests: number): number {
  let through = 0
  for (let i = 0; i < requests; i++) {
    if (c.isOpen(now)) continue
    c.dispatched(now)
    through++
  }
  return through
}

describe('Circuit', () => {
  test('stays closed below five consecutive failures; a success resets the count', () => {
    const c = new Circuit()
    for (let i = 0; i < 4; i++) c.failure(0)
    c.success()
    for (let i = 0; i < 4; i++) c.failure(0)
    expect(c.isOpen(0)).toBe(false)
    c.failure(0)
    expect(c.isOpen(0)).toBe(true)
  })

  test('open for the whole cool-off', () => {
    const c = opened(1000)
    expect(c.isOpen(1000 + OPEN_MS - 1)).toBe(true)
    expect(admitted(c, 1000 + OPEN_MS - 1, 10)).toBe(0)
  })

  test('after the cool-off exactly one probe is let through while it is out', () => {
    const c = opened(0)
    expect(admitted(c, OPEN_MS, 10)).toBe(1)
    expect(admitted(c, OPEN_MS + 5_000, 10)).toBe(0)
  })

  test("the probe's success closes the circuit for everyone", () => {
    const c = opened(0)
    expect(admitted(c, OPEN_MS, 1)).toBe(1)
    c.success()
    expect(admitted(c, OPEN_MS + 1, 10)).toBe(10)
  })

  test("the probe's failure opens it for another cool-off, then one new probe", () => {
    const c = opened(0)
    expect(admitted(c, OPEN_MS, 1)).toBe(1)
    c.failure(OPEN_MS + 100)
    expect(c.isOpen(OPEN_MS + 100 + OPEN_MS - 1)).toBe(true)
    expect(admitted(c, OPEN_MS + 100 + OPEN_MS, 10)).toBe(1)
  })

  test('a probe whose outcome never comes stops blocking after one more cool-off', () => {
    const c = opened(0)
    expect(admitted(c, OPEN_MS, 1)).toBe(1)
    expect(admitted(c, 2 * OPEN_MS - 1, 3)).toBe(0)
    expect(admitted(c, 2 * OPEN_MS, 3)).toBe(1)
  })

  test('fallback traffic sent while it is open (every upstream open) does not count as the probe', () => {
    const c = opened(0)
    c.dispatched(10)
    expect(admitted(c, OPEN_MS, 10)).toBe(1)
  })
})
