/** The official openai SDK through an access key: each refusal shows its status, message and Retry-After. */
import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { logsOf } from '../proxy/helpers'
import { waitFor } from '../support/test-app'
import { accessRig } from './rig'
import { createAccessKey } from './support'

type ApiError = InstanceType<typeof OpenAI.APIError>

const ask = (client: OpenAI, model = 'gpt-4o-mini') =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)

describe('openai SDK through access keys', () => {
  test('served, then 429 RateLimitError with status, message and Retry-After; streams count too', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'sdk', rpm_limit: 2 })
    const client = new OpenAI({ apiKey: k.key, baseURL: `${rig.base}/v1`, maxRetries: 0 })
    const done = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    expect(done.choices[0]!.message.content).toBeTruthy()
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'go' }] })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
    expect(text.length).toBeGreaterThan(0)
    const err = await ask(client)
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    const e = err as InstanceType<typeof OpenAI.RateLimitError>
    expect([e.status, e.code, e.message]).toEqual([429, 'rate_limit_exceeded', '429 access key rate limit reached: 2 requests per minute'])
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0)
    expect(e.headers?.get('x-ratelimit-remaining-requests')).toBe('0')
  })

  test('401 AuthenticationError for a disabled key, 403 PermissionDeniedError for a model out of scope', async () => {
    await using rig = await accessRig()
    const off = await createAccessKey(rig.app, { name: 'off', enabled: false })
    const e401 = await ask(new OpenAI({ apiKey: off.key, baseURL: `${rig.base}/v1`, maxRetries: 0 }))
    expect(e401).toBeInstanceOf(OpenAI.AuthenticationError)
    expect([(e401 as ApiError).status, (e401 as ApiError).code, (e401 as Error).message]).toEqual([401, 'invalid_api_key', '401 this access key is disabled'])
    const scoped = await createAccessKey(rig.app, { name: 'scoped', models: ['gpt-4o*'] })
    const e403 = await ask(new OpenAI({ apiKey: scoped.key, baseURL: `${rig.base}/v1`, maxRetries: 0 }), 'o1')
    expect(e403).toBeInstanceOf(OpenAI.PermissionDeniedError)
    expect([(e403 as ApiError).status, (e403 as ApiError).code, (e403 as Error).message]).toEqual([403, 'permission_denied', '403 this access key may not use model "o1"'])
  })

  test('a spent budget: 429 with type insufficient_quota, and the SDK does not retry it', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'spent', token_budget: 1, budget_period: 'month' })
    // default retries on: the SDK honours x-should-retry: false instead of waiting out the month
    const client = new OpenAI({ apiKey: k.key, baseURL: `${rig.base}/v1` })
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    // the debit lands once the answer's last byte went out, with its log row
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the answer finished')
    const e = (await ask(client)) as InstanceType<typeof OpenAI.RateLimitError>
    expect(e).toBeInstanceOf(OpenAI.RateLimitError)
    expect([e.status, e.type, e.code]).toEqual([429, 'insufficient_quota', 'budget_exceeded'])
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0)
  })
})
