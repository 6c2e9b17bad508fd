/** The cache key: exact on group, method, path and query (minus ?key=), canonical JSON, bytes otherwise. */
import { expect, test } from 'bun:test'
import { cacheKey, canonicalJson } from '../../server/cache/key'

const bytes = (s: string) => new TextEncoder().encode(s)

test('JSON key order and whitespace do not change the key; values, arrays order and every field do', () => {
  const k = (group: string, method: string, path: string, search: string, body: string | null) =>
    cacheKey(group, method, path, search, body === null ? null : bytes(body))
  const base = k('g', 'POST', '/v1/chat', '', '{"a":1,"b":{"y":[1,2],"x":true}}')
  expect(k('g', 'POST', '/v1/chat', '', ' { "b" : {"x":true,"y":[1,2]}, "a":1 }\n')).toBe(base)
  const different = [
    k('g2', 'POST', '/v1/chat', '', '{"a":1,"b":{"y":[1,2],"x":true}}'),
    k('g', 'PUT', '/v1/chat', '', '{"a":1,"b":{"y":[1,2],"x":true}}'),
    k('g', 'POST', '/v1/chat2', '', '{"a":1,"b":{"y":[1,2],"x":true}}'),
    k('g', 'POST', '/v1/chat', '?x=1', '{"a":1,"b":{"y":[1,2],"x":true}}'),
    k('g', 'POST', '/v1/chat', '', '{"a":1,"b":{"y":[2,1],"x":true}}'),
    k('g', 'POST', '/v1/chat', '', '{"a":2,"b":{"y":[1,2],"x":true}}'),
    k('g', 'POST', '/v1/chat', '', null),
  ]
  expect(new Set([base, ...different]).size).toBe(8)
})

test('the client key in the query is not part of the key; other query parameters are', () => {
  expect(cacheKey('g', 'GET', '/m', '?key=secret-1&alt=sse', null)).toBe(cacheKey('g', 'GET', '/m', '?alt=sse', null))
  expect(cacheKey('g', 'GET', '/m', '?key=secret-1', null)).toBe(cacheKey('g', 'GET', '/m', '', null))
  expect(cacheKey('g', 'GET', '/m', '?alt=json', null)).not.toBe(cacheKey('g', 'GET', '/m', '?alt=sse', null))
})

test('a body that is not JSON is hashed as its bytes', () => {
  expect(canonicalJson(bytes('not json'))).toBeNull()
  expect(canonicalJson(bytes('{"broken":'))).toBeNull()
  expect(cacheKey('g', 'POST', '/p', '', bytes('not json'))).toBe(cacheKey('g', 'POST', '/p', '', bytes('not json')))
  expect(cacheKey('g', 'POST', '/p', '', bytes('not json'))).not.toBe(cacheKey('g', 'POST', '/p', '', bytes('not json ')))
  // the JSON text `{}` and the bytes of another body never collide through the canonical form
  expect(cacheKey('g', 'POST', '/p', '', bytes('{}'))).not.toBe(cacheKey('g', 'POST', '/p', '', bytes('{ x')))
})
