import { describe, expect, test } from 'bun:test'
import { SmoothWeighted } from '../../server/proxy/upstream-select'

const picks = <T>(s: SmoothWeighted<T>, n: number, usable?: (t: T) => boolean) => Array.from({ length: n }, () => s.pick(usable))

describe('SmoothWeighted', () => {
  test('spreads picks by weight, interleaved rather than in bursts (5:1:1 as nginx does it)', () => {
    const s = new SmoothWeighted([{ target: 'a', weight: 5 }, { target: 'b', weight: 1 }, { target: 'c', weight: 1 }])
    expect(picks(s, 7)).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a'])
    // the next round repeats the same order
    expect(picks(s, 7)).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a'])
  })

  test('equal weights alternate', () => {
    const s = new SmoothWeighted([{ target: 'a', weight: 1 }, { target: 'b', weight: 1 }])
    expect(picks(s, 4)).toEqual(['a', 'b', 'a', 'b'])
  })

  test('weight 0 is off; nothing usable at all picks null', () => {
    const s = new SmoothWeighted([{ target: 'a', weight: 0 }, { target: 'b', weight: 2 }])
    expect(s.size).toBe(1)
    expect(picks(s, 3)).toEqual(['b', 'b', 'b'])
    expect(new SmoothWeighted([{ target: 'a', weight: 0 }]).pick()).toBeNull()
    expect(new SmoothWeighted<string>([]).pick()).toBeNull()
  })

  test('skips targets that are not usable (open circuit, already tried)', () => {
    const s = new SmoothWeighted([{ target: 'a', weight: 3 }, { target: 'b', weight: 1 }, { target: 'c', weight: 1 }])
    expect(picks(s, 4, (t) => t !== 'a')).toEqual(['b', 'c', 'b', 'c'])
  })

  test('when none is usable it falls back to all of them rather than refusing', () => {
    const s = new SmoothWeighted([{ target: 'a', weight: 1 }, { target: 'b', weight: 1 }])
    expect(picks(s, 2, () => false)).toEqual(['a', 'b'])
  })
})
