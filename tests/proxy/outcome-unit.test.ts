/** classifyResponse / classifyNetworkError / parseRetryAfter: every branch, with real provider bodies. */
import { describe, expect, test } from 'bun:test'
import { classifyNetworkError, classifyResponse } from '../../server/proxy/outcome'
import { parseDuration, parseRetryAfter } from '../../server/proxy/retry-after'

const NOW = Date.parse('2030-01-01T00:00:00Z')
const h = (init: Record<string, string> = {}) => new Headers(init)
const c = (status: number, body = '', headers = h(), failover: ((s: number) => boolean) | null = null) =>
  classifyResponse(status, headers, body, NOW, failover)

describe('classifyResponse', () => {
  test('2xx and 3xx are successes', () => {
    expect(c(200)).toEqual({ retry: false, key: { kind: 'success' }, upstreamFailure: false, error: '' })
    expect(c(304).key.kind).toBe('success')
  })

  test('429 rate limit cools the key for what the headers say', () => {
    expect(c(429, '{"error":{"message":"Rate limit reached","type":"requests"}}', h({ 'retry-after': '7' }))).toEqual({
      retry: true,
      key: { kind: 'rate_limited', retryAfterMs: 7000 },
      upstreamFailure: false,
      error: '429 Rate limit reached',
    })
    expect(c(429, '', h({ 'retry-after-ms': '1500' })).key).toEqual({ kind: 'rate_limited', retryAfterMs: 1500 })
    expect(c(429, '', h({ 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '20ms' })).key).toEqual({
      kind: 'rate_limited',
      retryAfterMs: 360_000,
    })
    expect(c(429).key).toEqual({ kind: 'rate_limited', retryAfterMs: null })
  })

  test.each([
    [429, '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}'],
    [401, '{"error":{"message":"Incorrect API key provided: sk-ab***yz","code":"invalid_api_key"}}'],
    [403, '{"error":{"message":"Forbidden"}}'],
    [400, '{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}'],
    [400, '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}'],
    [401, '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'],
    [403, '{"error":{"code":403,"message":"Permission denied: Consumer has been suspended.","status":"PERMISSION_DENIED"}}'],
  ])('%d with a dead-key body is a key failure and retries', (status, body) => {
    const r = c(status, body)
    expect(r.key.kind).toBe('key_failure')
    expect(r.retry).toBe(true)
    expect(r.upstreamFailure).toBe(false)
  })

  test.each([500, 502, 503, 504, 529])('%d is transient: retry, no key penalty, counts for the circuit', (status) => {
    expect(c(status, '{"error":{"message":"overloaded"}}')).toEqual({
      retry: true,
      key: { kind: 'neutral' },
      upstreamFailure: true,
      error: `${status} overloaded`,
    })
  })

  test.each([400, 404, 413, 422])('%d without a key complaint is the client’s: no retry, no penalty', (status) => {
    const r = c(status, '{"error":{"message":"bad request","type":"invalid_request_error"}}')
    expect(r).toMatchObject({ retry: false, key: { kind: 'neutral' }, upstreamFailure: false })
  })

  test('failover_status_codes decides retries but not what happens to the key', () => {
    const only5xx = (s: number) => s >= 500
    expect(c(401, '', h(), only5xx)).toMatchObject({ retry: false, key: { kind: 'key_failure' } })
    expect(c(404, '', h(), (s) => s === 404)).toMatchObject({ retry: true, key: { kind: 'neutral' } })
  })

  test('network errors and timeouts are transient', () => {
    const timeout = classifyNetworkError(new DOMException('upstream timeout', 'TimeoutError'))
    expect(timeout).toEqual({ retry: true, key: { kind: 'neutral' }, upstreamFailure: true, error: 'upstream timeout' })
    const refused = Object.assign(new Error('Unable to connect'), { code: 'ConnectionRefused' })
    expect(classifyNetworkError(refused).error).toBe('ConnectionRefused: Unable to connect')
  })
})

describe('retry-after parsing', () => {
  test('seconds, HTTP date, milliseconds, OpenAI durations', () => {
    expect(parseRetryAfter(h({ 'retry-after': new Date(NOW + 30_000).toUTCString() }), NOW)).toBe(30_000)
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), NOW)).toBeNull()
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('2')).toBe(2000)
    expect(parseDuration('abc')).toBeNull()
  })
})
