import { describe, expect, test } from 'bun:test'
import { CHANNELS, getChannel, isChannelType } from '../../server/channels/index.ts'
import { CHANNEL_TYPES } from '../../server/channels/types.ts'

describe('request model', () => {
  test('openai, openai-response, anthropic read and rewrite the body `model`', () => {
    for (const ch of [CHANNELS.openai, CHANNELS['openai-response'], CHANNELS.anthropic]) {
      const body: Record<string, unknown> = { model: 'gpt-4o', messages: [] }
      expect(ch.requestModel('/v1/chat/completions', body)).toBe('gpt-4o')
      expect(ch.setRequestModel('/v1/chat/completions', body, 'gpt-4o-mini')).toBe('/v1/chat/completions')
      expect(body).toEqual({ model: 'gpt-4o-mini', messages: [] })
      expect(ch.requestModel('/v1/x', { messages: [] })).toBeNull()
      expect(ch.requestModel('/v1/x', null)).toBeNull()
      expect(ch.requestModel('/v1/x', { model: 42 })).toBeNull()
    }
  })

  test('gemini reads and rewrites the model in the path', () => {
    const ch = CHANNELS.gemini
    expect(ch.requestModel('/v1beta/models/gemini-2.0-flash:streamGenerateContent', null)).toBe('gemini-2.0-flash')
    expect(ch.setRequestModel('/v1beta/models/gemini-2.0-flash:streamGenerateContent', null, 'gemini-2.5-pro')).toBe(
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent',
    )
    expect(ch.requestModel('/v1/models/gemini-1.5-pro:generateContent', { model: 'ignored' })).toBe('gemini-1.5-pro')
    expect(ch.requestModel('/v1beta/models', null)).toBeNull()
    expect(ch.setRequestModel('/v1beta/models', null, 'x')).toBe('/v1beta/models')
  })
})

describe('model lists', () => {
  const allowed = (id: string) => id !== 'blocked'

  test('isModelList', () => {
    expect(CHANNELS.openai.isModelList('GET', '/v1/models')).toBe(true)
    expect(CHANNELS.openai.isModelList('GET', '/v1/models/')).toBe(true)
    expect(CHANNELS.openai.isModelList('POST', '/v1/models')).toBe(false)
    expect(CHANNELS.openai.isModelList('GET', '/v1/models/gpt-4o')).toBe(false)
    expect(CHANNELS.anthropic.isModelList('GET', '/v1/models')).toBe(true)
    expect(CHANNELS.gemini.isModelList('GET', '/v1beta/models')).toBe(true)
    expect(CHANNELS.gemini.isModelList('GET', '/v1beta/models/gemini-2.0-flash:generateContent')).toBe(false)
  })

  test('openai: filtered, extra ids appended once', () => {
    const body = { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'openai' }, { id: 'blocked', object: 'model' }] }
    expect(CHANNELS.openai.filterModelList(body, allowed, ['alias', 'gpt-4o'])).toEqual({
      object: 'list',
      data: [
        { id: 'gpt-4o', object: 'model', created: 1, owned_by: 'openai' },
        { id: 'alias', object: 'model', created: 0, owned_by: 'keypool' },
      ],
    })
  })

  test('anthropic: filtered, extra appended, cursors follow the page', () => {
    const body = {
      data: [
        { type: 'model', id: 'blocked', display_name: 'B', created_at: '2025-01-01T00:00:00Z' },
        { type: 'model', id: 'claude-x', display_name: 'X', created_at: '2025-01-01T00:00:00Z' },
      ],
      has_more: false,
      first_id: 'blocked',
      last_id: 'claude-x',
    }
    expect(CHANNELS.anthropic.filterModelList(body, allowed, ['alias'])).toEqual({
      data: [
        { type: 'model', id: 'claude-x', display_name: 'X', created_at: '2025-01-01T00:00:00Z' },
        { type: 'model', id: 'alias', display_name: 'alias', created_at: '1970-01-01T00:00:00.000Z' },
      ],
      has_more: false,
      first_id: 'claude-x',
      last_id: 'alias',
    })
  })

  test('gemini: names are `models/{id}`', () => {
    const body = { models: [{ name: 'models/gemini-2.0-flash', displayName: 'Flash' }, { name: 'models/blocked' }], nextPageToken: 't' }
    expect(CHANNELS.gemini.filterModelList(body, allowed, ['alias'])).toEqual({
      models: [
        { name: 'models/gemini-2.0-flash', displayName: 'Flash' },
        { name: 'models/alias', displayName: 'alias', supportedGenerationMethods: ['generateContent', 'streamGenerateContent'] },
      ],
      nextPageToken: 't',
    })
  })

  test('an answer that is not a list passes unchanged', () => {
    const odd = { error: { message: 'x' } }
    for (const type of CHANNEL_TYPES) expect(CHANNELS[type].filterModelList(odd, allowed, ['a'])).toBe(odd)
  })
})

describe('channel registry', () => {
  test('every type has its channel, unknown types throw', () => {
    for (const type of CHANNEL_TYPES) expect(getChannel(type).type).toBe(type)
    expect(isChannelType('openai')).toBe(true)
    expect(isChannelType('azure')).toBe(false)
    expect(() => getChannel('azure')).toThrow('unknown channel type: azure')
  })
})
