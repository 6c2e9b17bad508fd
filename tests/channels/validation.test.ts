import { describe, expect, test } from 'bun:test'
import { CHANNELS } from '../../server/channels/index.ts'

describe('validationRequest', () => {
  test('openai: chat completion with max_tokens 1 on the default endpoint', () => {
    const ch = CHANNELS.openai
    const req = ch.validationRequest('sk-1', ch.defaultTestModel, '')
    expect({ ...req, body: JSON.parse(req.body!) }).toEqual({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-1', 'content-type': 'application/json' },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 },
    })
  })

  test('openai: a group endpoint replaces the default', () => {
    expect(CHANNELS.openai.validationRequest('sk-1', 'm', '/api/v1/chat/completions').path).toBe('/api/v1/chat/completions')
  })

  test('openai-response: /v1/responses', () => {
    const req = CHANNELS['openai-response'].validationRequest('sk-1', 'gpt-4o-mini', '')
    expect({ path: req.path, auth: req.headers.authorization, body: JSON.parse(req.body!) }).toEqual({
      path: '/v1/responses',
      auth: 'Bearer sk-1',
      body: { model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 16 },
    })
  })

  test('anthropic: /v1/messages with max_tokens 1, x-api-key and a version', () => {
    const ch = CHANNELS.anthropic
    const req = ch.validationRequest('sk-ant', ch.defaultTestModel, '')
    expect({ ...req, body: JSON.parse(req.body!) }).toEqual({
      method: 'POST',
      path: '/v1/messages',
      headers: { 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: { model: 'claude-3-5-haiku-latest', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] },
    })
  })

  test('gemini: generateContent with the model in the path', () => {
    const ch = CHANNELS.gemini
    const req = ch.validationRequest('AIza1', ch.defaultTestModel, '')
    expect({ ...req, body: JSON.parse(req.body!) }).toEqual({
      method: 'POST',
      path: '/v1beta/models/gemini-2.0-flash:generateContent',
      headers: { 'x-goog-api-key': 'AIza1', 'content-type': 'application/json' },
      body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 1 } },
    })
    expect(ch.validationRequest('k', 'gemini-2.5-pro', '/v1/models/{model}:generateContent').path).toBe(
      '/v1/models/gemini-2.5-pro:generateContent',
    )
  })
})
