/**
 * Every field of a full request (system, turns, tools, tool calls and results, formats) replaced in turn by a value
 * of the wrong type: translation either succeeds or throws a TranslateError naming a field (the proxy's 400),
 * never a stray TypeError, in every direction.
 */
import { expect, test } from 'bun:test'
import { translateRequest, TranslateError, type Protocol, type UpstreamProtocol } from '../../server/translate'

type Json = Record<string, unknown>
const WRONG: unknown[] = [null, 5, 'x', [], {}, [null], [5], [{}], { type: 'text' }, true]

const FULL: Record<Protocol, Json> = {
  anthropic: {
    model: 'm', max_tokens: 5, system: [{ type: 'text', text: 's' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'r' }] }] },
    ],
    tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'auto' }, stop_sequences: ['x'], metadata: { user_id: 'u' },
  },
  openai: {
    model: 'm',
    messages: [
      { role: 'system', content: 's' },
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'a', content: 'r' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }], tool_choice: { type: 'function', function: { name: 'f' } },
    stop: ['x'], response_format: { type: 'json_schema', json_schema: { name: 'o', schema: {} } },
  },
  gemini: {
    contents: [
      { role: 'user', parts: [{ text: 'a' }, { inlineData: { mimeType: 'image/png', data: 'AA' } }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
    ],
    systemInstruction: { parts: [{ text: 's' }] }, tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT' } }] }],
    generationConfig: { stopSequences: ['x'], responseMimeType: 'application/json' }, toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
  },
  responses: {
    model: 'm', instructions: 's',
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_image', image_url: 'data:image/png;base64,AA' }] },
      { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'a', output: 'r' },
    ],
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }], text: { format: { type: 'json_object' } },
  },
}

function* fieldPaths(o: unknown, at: (string | number)[] = []): Generator<(string | number)[]> {
  if (!o || typeof o !== 'object') return
  for (const k of Object.keys(o)) {
    const p = [...at, Array.isArray(o) ? Number(k) : k]
    yield p
    yield* fieldPaths((o as Json)[k], p)
  }
}

function replaced(o: Json, path: (string | number)[], v: unknown): Json {
  const copy = structuredClone(o)
  let x: Json = copy
  for (const k of path.slice(0, -1)) x = x[k] as Json
  x[path.at(-1)!] = v
  return copy
}

const PAIRS: [Protocol, UpstreamProtocol][] = [
  ['anthropic', 'openai'], ['anthropic', 'gemini'], ['openai', 'anthropic'], ['openai', 'gemini'],
  ['gemini', 'openai'], ['gemini', 'anthropic'], ['responses', 'openai'], ['responses', 'anthropic'], ['responses', 'gemini'],
]

test('no field of the wrong type makes translation fail other than by naming a field', () => {
  const stray: string[] = []
  let tried = 0
  for (const [caller, upstream] of PAIRS) {
    const path = caller === 'gemini' ? '/v1beta/models/m:generateContent' : '/v1/x'
    // the untouched request translates
    expect(translateRequest(caller, upstream, path, FULL[caller]).body).toBeTruthy()
    for (const field of fieldPaths(FULL[caller]))
      for (const v of WRONG) {
        tried++
        try {
          translateRequest(caller, upstream, path, replaced(FULL[caller], field, v))
        } catch (err) {
          if (!(err instanceof TranslateError)) stray.push(`${caller}->${upstream} ${field.join('.')}=${JSON.stringify(v)}: ${String(err).split('\n')[0]}`)
        }
      }
  }
  expect(tried).toBeGreaterThan(1000)
  expect(stray).toEqual([])
})
