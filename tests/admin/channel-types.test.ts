import { describe, expect, expectTypeOf, test } from 'bun:test'
import type { ChannelTypeInfo } from '../../server/admin/schemas'
import { CHANNEL_TYPES, type ChannelType } from '../../server/channels/types'
import { createTestApp, data, expectError } from './support'

describe('GET /api/channel-types', () => {
  test('answers the plain list of names, as GPT-Load does', async () => {
    await using app = await createTestApp()
    expect(await data(app.api('/api/channel-types'))).toEqual(['openai', 'openai-response', 'anthropic', 'gemini'])
  })

  test('/details gives each type with the defaults a new group starts from', async () => {
    await using app = await createTestApp()
    const details = await data<ChannelTypeInfo[]>(app.api('/api/channel-types/details'))
    expect(details).toEqual([
      { type: 'openai', label: 'OpenAI', default_upstream: 'https://api.openai.com', default_test_model: 'gpt-4o-mini', default_validation_endpoint: '/v1/chat/completions' },
      { type: 'openai-response', label: 'OpenAI Responses', default_upstream: 'https://api.openai.com', default_test_model: 'gpt-4o-mini', default_validation_endpoint: '/v1/responses' },
      { type: 'anthropic', label: 'Anthropic', default_upstream: 'https://api.anthropic.com', default_test_model: 'claude-3-5-haiku-latest', default_validation_endpoint: '/v1/messages' },
      { type: 'gemini', label: 'Gemini', default_upstream: 'https://generativelanguage.googleapis.com', default_test_model: 'gemini-2.0-flash', default_validation_endpoint: '/v1beta/models/{model}:generateContent' },
    ])
  })

  test('a group created with only a name and a type gets the default test model the details announced', async () => {
    await using app = await createTestApp()
    const [anthropic] = (await data<ChannelTypeInfo[]>(app.api('/api/channel-types/details'))).filter((d) => d.type === 'anthropic')
    const body = { name: 'claude', channel_type: 'anthropic', upstreams: [{ url: anthropic!.default_upstream, weight: 1 }] }
    const group = await data(app.api('/api/groups', { method: 'POST', body: JSON.stringify(body) }))
    expect(group).toMatchObject({ test_model: anthropic!.default_test_model, upstreams: [{ url: anthropic!.default_upstream, weight: 1 }] })
  })

  test('both need the admin key', async () => {
    await using app = await createTestApp()
    for (const path of ['/api/channel-types', '/api/channel-types/details'])
      await expectError(fetch(app.url + path), 401, 'UNAUTHORIZED')
  })

  test('both are in openapi.json with their schemas', async () => {
    await using app = await createTestApp()
    const doc = (await (await app.api('/api/openapi.json')).json()) as any
    const schemaOf = (path: string) => doc.paths[path].get.responses['200'].content['application/json'].schema.properties.data
    expect(schemaOf('/api/channel-types/')).toEqual({
      type: 'array',
      items: { anyOf: CHANNEL_TYPES.map((c) => ({ const: c, type: 'string' })) },
    })
    expect(schemaOf('/api/channel-types/details').items.required).toEqual([
      'type', 'label', 'default_upstream', 'default_test_model', 'default_validation_endpoint',
    ])
  })

  test('ChannelTypeInfo.type is exactly the contract ChannelType', () => {
    expectTypeOf<ChannelTypeInfo['type']>().toEqualTypeOf<ChannelType>()
    expectTypeOf<ChannelTypeInfo>().toEqualTypeOf<{
      type: ChannelType
      label: string
      default_upstream: string
      default_test_model: string
      default_validation_endpoint: string
    }>()
  })
})
