/** The fake upstream's tool use in its four protocols: calls when tools are declared, text quoting tool results. */
import { afterAll, describe, expect, test } from 'bun:test'
import { startFakeUpstream } from './fake-upstream.ts'

const upstream = await startFakeUpstream()
afterAll(() => upstream.stop())

const post = (path: string, body: object) =>
  fetch(upstream.url + path, { method: 'POST', headers: { authorization: 'Bearer sk-ok', 'content-type': 'application/json' }, body: JSON.stringify(body) })
const data = (text: string) => text.split(/\r?\n/).filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)))
const params = { type: 'object', properties: { city: { type: 'string' } } }

describe('OpenAI chat', () => {
  const tools = [{ type: 'function', function: { name: 'a', parameters: params } }, { type: 'function', function: { name: 'b', parameters: params } }]
  test('two declared tools: two parallel calls with the user text as the first parameter', async () => {
    const json = await (await post('/v1/chat/completions', { model: 'm', tools, messages: [{ role: 'user', content: 'Paris' }] })).json()
    expect(json.choices[0].finish_reason).toBe('tool_calls')
    expect(json.choices[0].message.tool_calls.map((c: { function: object }) => c.function)).toEqual([{ name: 'a', arguments: '{"city":"Paris"}' }, { name: 'b', arguments: '{"city":"Paris"}' }])
  })
  test('streamed: arguments arrive in deltas per call index', async () => {
    const chunks = data(await (await post('/v1/chat/completions', { model: 'm', stream: true, tools, messages: [{ role: 'user', content: 'Paris' }] })).text())
    const args = new Map<number, string>()
    for (const c of chunks) for (const tc of c.choices[0]?.delta?.tool_calls ?? []) args.set(tc.index, (args.get(tc.index) ?? '') + (tc.function.arguments ?? ''))
    expect([...args.values()]).toEqual(['{"city":"Paris"}', '{"city":"Paris"}'])
    expect(chunks.filter((c) => c.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments).length).toBe(4)
  })
  test('tool results answer as text', async () => {
    const messages = [{ role: 'user', content: 'Paris' }, { role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: { name: 'a', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'x', content: 'sunny' }]
    const json = await (await post('/v1/chat/completions', { model: 'm', tools, messages })).json()
    expect(json.choices[0].message.content).toBe('tool results: sunny')
  })
})

describe('Anthropic, Gemini, Responses', () => {
  test('Anthropic: tool_use blocks, streamed input_json_delta, tool_result answered', async () => {
    const tools = [{ name: 'w', input_schema: params }]
    const json = await (await post('/v1/messages', { model: 'c', max_tokens: 9, tools, messages: [{ role: 'user', content: 'Oslo' }] })).json()
    expect(json).toMatchObject({ stop_reason: 'tool_use', content: [{ type: 'tool_use', name: 'w', input: { city: 'Oslo' } }] })
    const events = data(await (await post('/v1/messages', { model: 'c', max_tokens: 9, stream: true, tools, messages: [{ role: 'user', content: 'Oslo' }] })).text())
    expect(events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json).join('')).toBe('{"city":"Oslo"}')
    const back = await (await post('/v1/messages', { model: 'c', max_tokens: 9, tools, messages: [{ role: 'user', content: 'Oslo' }, { role: 'assistant', content: [json.content[0]] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: json.content[0].id, content: 'cold' }] }] })).json()
    expect(back.content[0].text).toBe('tool results: cold')
  })
  test('Gemini: functionCall parts, whole in the stream, functionResponse answered', async () => {
    const tools = [{ functionDeclarations: [{ name: 'w', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] }]
    const contents = [{ role: 'user', parts: [{ text: 'Rome' }] }]
    const json = await (await post('/v1beta/models/g:generateContent', { tools, contents })).json()
    expect(json.candidates[0].content.parts).toEqual([{ functionCall: { name: 'w', args: { city: 'Rome' } } }])
    const chunks = data(await (await post('/v1beta/models/g:streamGenerateContent?alt=sse', { tools, contents })).text())
    expect(chunks.at(-1).candidates[0]).toMatchObject({ content: { parts: [{ functionCall: { name: 'w', args: { city: 'Rome' } } }] }, finishReason: 'STOP' })
    const back = await (await post('/v1beta/models/g:generateContent', { tools, contents: [...contents, json.candidates[0].content, { role: 'user', parts: [{ functionResponse: { name: 'w', response: { t: 1 } } }] }] })).json()
    expect(back.candidates[0].content.parts[0].text).toBe('tool results: {"t":1}')
  })
  test('Responses: function_call items and argument deltas', async () => {
    const tools = [{ type: 'function', name: 'w', parameters: params }]
    const json = await (await post('/v1/responses', { model: 'm', tools, input: 'Lima' })).json()
    expect(json.output).toMatchObject([{ type: 'function_call', name: 'w', arguments: '{"city":"Lima"}' }])
    const text = await (await post('/v1/responses', { model: 'm', stream: true, tools, input: 'Lima' })).text()
    expect(data(text).filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('')).toBe('{"city":"Lima"}')
  })
})
