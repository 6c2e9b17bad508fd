import { describe, expect, test } from 'bun:test'
import { applyHeaderRules, clientResponseHeaders, upstreamRequestHeaders } from '../../server/proxy/headers'

const vars = { CLIENT_IP: '10.0.0.7', GROUP_NAME: 'openai', API_KEY: 'sk-pool-1', REQUEST_ID: 'req-1' }

describe('upstreamRequestHeaders', () => {
  test('drops hop-by-hop headers, those Connection lists, host and content-length (withPoolKey strips credentials: tests/channels/inject.test.ts)', () => {
    const out = upstreamRequestHeaders(
      new Headers({
        connection: 'keep-alive, x-private-hop',
        'keep-alive': 'timeout=5',
        'x-private-hop': '1',
        te: 'trailers',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'proxy-authorization': 'Basic eA==',
        host: 'keypool.local',
        'content-length': '12',
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      }),
    )
    expect(Object.fromEntries(out)).toEqual({ 'content-type': 'application/json', 'anthropic-version': '2023-06-01' })
  })
})

describe('clientResponseHeaders', () => {
  test('passes the upstream headers as they are when none is hop-by-hop', () => {
    const upstream = new Headers({ 'content-type': 'text/event-stream', 'x-request-id': 'u1' })
    expect(clientResponseHeaders(upstream, 'sk-pool-1')).toBe(upstream)
  })

  test('removes hop-by-hop headers and those Connection lists, keeps the rest', () => {
    const out = clientResponseHeaders(
      new Headers({ connection: 'x-hop', 'x-hop': '1', 'transfer-encoding': 'chunked', 'content-encoding': 'gzip', 'x-request-id': 'u1' }),
      'sk-pool-1',
    )
    expect(Object.fromEntries(out)).toEqual({ 'content-encoding': 'gzip', 'x-request-id': 'u1' })
  })
})

describe('applyHeaderRules', () => {
  test('sets and removes in order, filling ${…} variables', () => {
    const h = new Headers({ 'x-drop': '1', 'x-keep': 'k' })
    applyHeaderRules(
      h,
      [
        { key: 'x-drop', value: '', action: 'remove' },
        { key: 'x-who', value: '${GROUP_NAME}/${CLIENT_IP}/${REQUEST_ID}', action: 'set' },
        { key: 'x-auth', value: 'Token ${API_KEY}', action: 'set' },
        { key: 'x-keep', value: 'plain', action: 'set' },
      ],
      vars,
    )
    expect(Object.fromEntries(h)).toEqual({ 'x-keep': 'plain', 'x-who': 'openai/10.0.0.7/req-1', 'x-auth': 'Token sk-pool-1' })
  })

  test('timestamps are the current time in ms and in s', () => {
    const h = new Headers()
    const before = Date.now()
    applyHeaderRules(h, [{ key: 'x-ms', value: '${TIMESTAMP_MS}', action: 'set' }, { key: 'x-s', value: '${TIMESTAMP_S}', action: 'set' }], vars)
    const after = Date.now()
    const [ms, s] = [Number(h.get('x-ms')), Number(h.get('x-s'))]
    expect(ms >= before && ms <= after).toBe(true)
    expect(s >= Math.floor(before / 1000) && s <= Math.floor(after / 1000)).toBe(true)
  })
})
