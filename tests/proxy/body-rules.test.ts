import { describe, expect, test } from 'bun:test'
import { getChannel } from '../../server/channels'
import { needsRewrite, rewriteBody, sniffModel, type BodyRules } from '../../server/proxy/body-rules'

const openai = getChannel('openai')
const gemini = getChannel('gemini')
const none: BodyRules = { paramOverrides: {}, redirects: {}, strict: false }
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
const json = (b: Uint8Array | null) => JSON.parse(new TextDecoder().decode(b!))

describe('needsRewrite', () => {
  test('only a group with overrides, redirects or strict mode parses bodies', () => {
    expect(needsRewrite(none)).toBe(false)
    expect(needsRewrite({ ...none, paramOverrides: { temperature: 0 } })).toBe(true)
    expect(needsRewrite({ ...none, redirects: { a: 'b' } })).toBe(true)
    expect(needsRewrite({ ...none, strict: true })).toBe(true)
  })
})

describe('rewriteBody', () => {
  const path = '/v1/chat/completions'

  test('no rule applies: the same bytes pass through untouched', () => {
    const body = new TextEncoder().encode('{"model":"gpt-4o",  "messages":[]}')
    const out = rewriteBody(openai, { ...none, redirects: { other: 'x' } }, 'POST', path, 'application/json', body)
    expect(out).toEqual({ ok: true, body, path, model: 'gpt-4o' })
    if (out.ok) expect(out.body).toBe(body)
  })

  test('a redirect serves model A as model B; overrides are forced onto the body', () => {
    const rules = { paramOverrides: { temperature: 0, max_tokens: 9 }, redirects: { 'gpt-4o': 'gpt-4o-mini' }, strict: false }
    const out = rewriteBody(openai, rules, 'POST', path, 'application/json; charset=utf-8', bytes({ model: 'gpt-4o', temperature: 1, messages: [] }))
    if (!out.ok) throw new Error(out.message)
    expect({ ...out, body: json(out.body) }).toEqual({
      ok: true, path, model: 'gpt-4o-mini', body: { model: 'gpt-4o-mini', temperature: 0, max_tokens: 9, messages: [] },
    })
  })

  test('strict mode refuses a model without a rule with 400', () => {
    const out = rewriteBody(openai, { ...none, strict: true }, 'POST', path, 'application/json', bytes({ model: 'gpt-5' }))
    expect(out).toEqual({ ok: false, status: 400, message: 'model "gpt-5" is not available in this group' })
  })

  test('Gemini: the model is in the path and the redirect rewrites the path', () => {
    const out = rewriteBody(gemini, { ...none, redirects: { 'gemini-pro': 'gemini-2.0-flash' } }, 'POST', '/v1beta/models/gemini-pro:generateContent', 'application/json', bytes({ contents: [] }))
    expect(out).toMatchObject({ ok: true, path: '/v1beta/models/gemini-2.0-flash:generateContent', model: 'gemini-2.0-flash' })
  })

  test('a body that is not JSON after all is forwarded as is', () => {
    const body = new TextEncoder().encode('{not json')
    expect(rewriteBody(openai, { ...none, strict: true }, 'POST', path, 'application/json', body)).toEqual({ ok: true, body, path, model: null })
  })

  test('GET requests are never refused or redirected by model', () => {
    expect(rewriteBody(gemini, { ...none, strict: true }, 'GET', '/v1beta/models/gemini-pro', null, null)).toMatchObject({ ok: true, path: '/v1beta/models/gemini-pro' })
  })
})

describe('sniffModel', () => {
  test('from the path, else from the "model" field of a body up to 256 KiB', () => {
    expect(sniffModel(gemini, '/v1beta/models/gemini-pro:streamGenerateContent', null)).toBe('gemini-pro')
    expect(sniffModel(openai, '/v1/chat/completions', bytes({ messages: [], model: 'gpt-4o' }))).toBe('gpt-4o')
    expect(sniffModel(openai, '/v1/chat/completions', new TextEncoder().encode(`{"model":"big","pad":"${'x'.repeat(262_144)}"}`))).toBeNull()
    expect(sniffModel(openai, '/v1/chat/completions', null)).toBeNull()
  })
})
