import { expect, test } from 'bun:test'
import { splitKeysText } from '../../server/cli/keys-text'

test('splits on whitespace, commas and semicolons', () => {
  expect(splitKeysText(' a1\n b2,c3;;d4\r\n\te5 ,\n')).toEqual(['a1', 'b2', 'c3', 'd4', 'e5'])
})

test('reads a JSON array of strings', () => {
  expect(splitKeysText('["k 1", " k2 ", ""]')).toEqual(['k 1', 'k2'])
})

test('a bracketed line that is not JSON is split like text', () => {
  expect(splitKeysText('[abc, def]')).toEqual(['[abc', 'def]'])
})

test('empty input gives no keys', () => {
  expect(splitKeysText(' \n ')).toEqual([])
})
