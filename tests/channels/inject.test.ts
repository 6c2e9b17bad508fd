import { describe, expect, test } from 'bun:test'
import { CHANNELS, readClientKey, withPoolKey } from '../../server/channels/index.ts'
import type { ChannelType, InjectTarget } from '../../server/channels/types.ts'

/** A request as a client sends it, carrying its proxy key in every place a channel could read one. */
function clientRequest(clientUsedQueryKey = false): InjectTarget {
  return {
    headers: new Headers({
      authorization: 'Bearer proxy-key',
      'x-api-key': 'proxy-key',
      'x-goog-api-key': 'proxy-key',
      'content-type': 'application/json',
      'x-custom': 'kept',
    }),
    url: new URL('https://upstream.example/v1/x?key=proxy-key&alt=sse'),
    clientUsedQueryKey,
  }
}

const view = (t: InjectTarget) => ({ headers: Object.fromEntries(t.headers), url: t.url.toString() })
const kept = { 'content-type': 'application/json', 'x-custom': 'kept' }
const cleanUrl = 'https://upstream.example/v1/x?alt=sse'

describe('withPoolKey', () => {
  const expected: Record<ChannelType, Record<string, string>> = {
    openai: { authorization: 'Bearer sk-real' },
    'openai-response': { authorization: 'Bearer sk-real' },
    anthropic: { 'x-api-key': 'sk-real', 'anthropic-version': '2023-06-01' },
    gemini: { 'x-goog-api-key': 'sk-real' },
  }
  for (const [type, headers] of Object.entries(expected) as [ChannelType, Record<string, string>][]) {
    test(`${type}: every client credential removed, only the real key set`, () => {
      const target = clientRequest()
      withPoolKey(CHANNELS[type], target, 'sk-real')
      expect(view(target)).toEqual({ headers: { ...kept, ...headers }, url: cleanUrl })
    })
  }

  test('anthropic keeps the anthropic-version the client sent', () => {
    const target = clientRequest()
    target.headers.set('anthropic-version', '2024-01-01')
    withPoolKey(CHANNELS.anthropic, target, 'sk-real')
    expect(target.headers.get('anthropic-version')).toBe('2024-01-01')
  })

  test('gemini keeps the ?key= style when the client used it', () => {
    const target = clientRequest(true)
    withPoolKey(CHANNELS.gemini, target, 'AIza-real')
    expect(view(target)).toEqual({ headers: kept, url: 'https://upstream.example/v1/x?alt=sse&key=AIza-real' })
  })

  test('openai with a query key client still gets a header, never the query', () => {
    const target = clientRequest(true)
    withPoolKey(CHANNELS.openai, target, 'sk-real')
    expect(view(target)).toEqual({ headers: { ...kept, authorization: 'Bearer sk-real' }, url: cleanUrl })
  })
})

describe('readClientKey', () => {
  const read = (headers: Record<string, string>, url = 'http://gw/proxy/g/v1/x') => readClientKey(new Headers(headers), new URL(url))

  test('looks in ?key=, Authorization Bearer, x-api-key, x-goog-api-key, in that order', () => {
    const all = { authorization: 'Bearer b', 'x-api-key': 'a', 'x-goog-api-key': 'g' }
    expect(read(all, 'http://gw/p?key=q')).toEqual({ key: 'q', fromQuery: true })
    expect(read(all)).toEqual({ key: 'b', fromQuery: false })
    expect(read({ 'x-api-key': 'a', 'x-goog-api-key': 'g' })).toEqual({ key: 'a', fromQuery: false })
    expect(read({ 'x-goog-api-key': 'g' })).toEqual({ key: 'g', fromQuery: false })
    expect(read({ authorization: 'bearer   spaced ' })).toEqual({ key: 'spaced', fromQuery: false })
  })

  test('none, or a non-bearer Authorization: null', () => {
    expect(read({})).toEqual({ key: null, fromQuery: false })
    expect(read({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual({ key: null, fromQuery: false })
    expect(read({}, 'http://gw/p?key=')).toEqual({ key: null, fromQuery: false })
  })
})
