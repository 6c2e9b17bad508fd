import { describe, expect, test } from 'bun:test'
import { CHANNELS } from '../../server/channels/index.ts'

describe('errorBody in each provider native shape', () => {
  test('openai and openai-response', () => {
    for (const ch of [CHANNELS.openai, CHANNELS['openai-response']]) {
      expect(ch.errorBody(401, 'Invalid proxy key', 'invalid_api_key')).toEqual({
        error: { message: 'Invalid proxy key', type: 'authentication_error', param: null, code: 'invalid_api_key' },
      })
      expect(ch.errorBody(503, 'No keys available')).toEqual({
        error: { message: 'No keys available', type: 'server_error', param: null, code: null },
      })
      expect(ch.errorBody(429, 'Too many requests')).toMatchObject({ error: { type: 'rate_limit_error' } })
    }
  })

  test('anthropic', () => {
    const ch = CHANNELS.anthropic
    expect(ch.errorBody(401, 'Invalid proxy key')).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid proxy key' } })
    const types = [400, 403, 404, 413, 429, 500, 529].map((s) => (ch.errorBody(s, 'x') as { error: { type: string } }).error.type)
    expect(types).toEqual([
      'invalid_request_error',
      'permission_error',
      'not_found_error',
      'request_too_large',
      'rate_limit_error',
      'api_error',
      'overloaded_error',
    ])
  })

  test('gemini', () => {
    const ch = CHANNELS.gemini
    expect(ch.errorBody(401, 'Invalid proxy key')).toEqual({ error: { code: 401, message: 'Invalid proxy key', status: 'UNAUTHENTICATED' } })
    const statuses = [404, 429, 503, 500].map((s) => (ch.errorBody(s, 'x') as { error: { status: string } }).error.status)
    expect(statuses).toEqual(['NOT_FOUND', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INTERNAL'])
    expect(ch.errorBody(400, 'bad', 'FAILED_PRECONDITION')).toEqual({ error: { code: 400, message: 'bad', status: 'FAILED_PRECONDITION' } })
  })
})
