/** The one key-list reader behind keys_text, `keypool keys import` and KEYS_FILE. */
import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../server/shared/errors'
import { MAX_KEY_LENGTH, parseKeyList, parseSendableKeyList } from '../../server/shared/key-list'

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run()
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message }
    throw err
  }
  throw new Error('expected a refusal')
}

describe('parseKeyList', () => {
  test('splits on whitespace, commas and semicolons', () => {
    expect(parseKeyList(' a1\n b2,c3;;d4\r\n\te5 ,\n', 'x')).toEqual(['a1', 'b2', 'c3', 'd4', 'e5'])
  })

  test('reads a JSON array of strings, trimmed, empties dropped', () => {
    expect(parseKeyList('["k 1", " k2 ", ""]', 'x')).toEqual(['k 1', 'k2'])
  })

  test('a bracketed text that is not JSON is refused, naming the input', () => {
    expect(refusal(() => parseKeyList('[abc, def]', 'keys.txt'))).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'keys.txt looks like a JSON array but is not valid JSON',
    })
    expect(refusal(() => parseKeyList('[1, "a"]', 'keys_text')).message).toBe('keys_text: a JSON array must hold only strings')
  })

  test('empty input gives no keys', () => {
    expect(parseKeyList(' \n ', 'x')).toEqual([])
  })
})

describe('parseSendableKeyList', () => {
  test('keeps keys of visible ASCII', () => {
    expect(parseSendableKeyList('sk-a1 sk-b2', 'x')).toEqual(['sk-a1', 'sk-b2'])
  })

  test('refuses a key a header cannot carry by position, never echoing it', () => {
    const r = refusal(() => parseSendableKeyList('["sk-ok", "sk-ünïcode-secret"]', 'KEYS_FILE'))
    expect(r.message).toBe('KEYS_FILE: key 2 has a character that cannot be sent in an HTTP header (only visible ASCII)')
    expect(r.message).not.toContain('secret')
  })

  test('refuses a key longer than the bound', () => {
    expect(refusal(() => parseSendableKeyList('k'.repeat(MAX_KEY_LENGTH + 1), 'stdin')).message).toBe(
      `stdin: key 1 is longer than ${MAX_KEY_LENGTH} characters`,
    )
  })
})
