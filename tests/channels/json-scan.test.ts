import { describe, expect, test } from 'bun:test'
import { findJsonValue } from '../../server/channels/json-scan.ts'

describe('findJsonValue', () => {
  const doc = JSON.stringify({
    model: 'gpt-4o',
    choices: [{ message: { content: 'say "usage": {"prompt_tokens": 999} and "model":"fake"' } }],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, details: { nested: [1, { a: '}' }] } },
  })

  test('finds the member, not look-alikes inside string values', () => {
    expect(findJsonValue(doc, 'usage', 'last')).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
      details: { nested: [1, { a: '}' }] },
    })
    expect(findJsonValue(doc, 'model', 'first')).toBe('gpt-4o')
  })

  test('first vs last occurrence, numbers, literals, pretty-printed JSON', () => {
    const arr = JSON.stringify([{ u: { n: 1 } }, { u: { n: 2 } }], null, 2)
    expect(findJsonValue(arr, 'u', 'first')).toEqual({ n: 1 })
    expect(findJsonValue(arr, 'u', 'last')).toEqual({ n: 2 })
    expect(findJsonValue('{"a": 12.5e1, "b": null}', 'a', 'first')).toBe(125)
    expect(findJsonValue('{"a": 1, "b": null}', 'b', 'first')).toBeNull()
  })

  test('a fragment: a value cut by the end is skipped for an earlier whole one', () => {
    const tail = 'xt"}],"usage":{"n":1}}\n,{"c":2,"usage":{"n":'
    expect(findJsonValue(tail, 'usage', 'last')).toEqual({ n: 1 })
    expect(findJsonValue('"x","n":12', 'n', 'last')).toBeUndefined()
    expect(findJsonValue('{"other":1}', 'usage', 'last')).toBeUndefined()
  })

  test('a key at the very start of a fragment (no delimiter before it) is not trusted', () => {
    expect(findJsonValue('"usage":{"n":1}', 'usage', 'last')).toBeUndefined()
  })
})
