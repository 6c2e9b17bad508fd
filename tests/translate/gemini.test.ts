import { describe, expect, test } from 'bun:test'
import { translateAnswer, translateError, translateRequest } from '../../server/translate'
import { json, runStream, sse } from './helpers'

describe('Gemini caller -> OpenAI upstream', () => {
  test('request: model and stream from the path, system, function calls matched to responses, config mapped', () => {
    const t = translateRequest('gemini', 'openai', '/v1beta/models/gpt-4o:streamGenerateContent?alt=sse', {
      systemInstruction: { parts: [{ text: 'Sys' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Oslo?' }, { inlineData: { mimeType: 'image/jpeg', data: 'BBBB' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'w', args: { city: 'Paris' } } }, { functionCall: { name: 'w', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'w', response: { t: 20 } } }, { functionResponse: { name: 'w', response: { t: 5 } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'w', description: 'weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] }, { googleSearch: {} }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['w'] } },
      generationConfig: { maxOutputTokens: 50, temperature: 0.2, topP: 0.8, topK: 3, stopSequences: ['x'], responseMimeType: 'application/json' },
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
    })
    expect(t.stream).toBe(true)
    expect(t.dropped.sort()).toEqual(['generationConfig.topK', 'safetySettings', 'tools[1].googleSearch'])
    expect(t.body).toEqual({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.8,
      stop: ['x'],
      response_format: { type: 'json_object' },
      tools: [{ type: 'function', function: { name: 'w', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'w' } },
      messages: [
        { role: 'system', content: 'Sys' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Oslo?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,BBBB' } }] },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'w', arguments: '{"city":"Oslo"}' } },
        ] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"t":20}' },
        { role: 'tool', tool_call_id: 'call_2', content: '{"t":5}' },
      ],
    })
  })

  test('audio inline data cannot be expressed', () => {
    const body = { contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'audio/wav', data: 'x' } }] }] }
    expect(() => translateRequest('gemini', 'openai', '/v1beta/models/m:generateContent', body)).toThrow('contents[0].parts[0].inlineData.mimeType')
  })

  test('answer and stream come back as Gemini answers; arguments gathered into whole function calls', async () => {
    const t = translateRequest('gemini', 'openai', '/v1beta/models/gpt-4o:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] })
    const c = (delta: object, finish: string | null = null) => ({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })
    const events = await runStream(t, sse([
      [null, c({ role: 'assistant', content: 'Hi' })],
      [null, c({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'w', arguments: '{"ci' } }] })],
      [null, c({ tool_calls: [{ index: 0, function: { arguments: 'ty":"P"}' } }] })],
      [null, c({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'w', arguments: '{"city":"O"}' } }] })],
      [null, c({}, 'tool_calls')],
      [null, { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2 } } }],
      [null, '[DONE]'],
    ]))
    const data = json(events)
    expect(data).toEqual([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, index: 0 }], modelVersion: 'gpt-4o', responseId: 'x' },
      {
        candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'w', args: { city: 'P' } } }, { functionCall: { name: 'w', args: { city: 'O' } } }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 6, totalTokenCount: 10, cachedContentTokenCount: 2 },
        modelVersion: 'gpt-4o',
        responseId: 'x',
      },
    ])
    const whole = translateAnswer(t, { id: 'y', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, finish_reason: 'length', logprobs: null, message: { role: 'assistant', content: 'cut', refusal: null } }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })
    expect(whole).toEqual({ candidates: [{ content: { role: 'model', parts: [{ text: 'cut' }] }, finishReason: 'MAX_TOKENS', index: 0 }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 }, modelVersion: 'gpt-4o', responseId: 'y' })
  })

  test('a Gemini caller without alt=sse gets the JSON-array stream', async () => {
    const t = translateRequest('gemini', 'openai', '/v1beta/models/gpt-4o:streamGenerateContent', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] })
    const bytes = new TextEncoder().encode(sse([[null, { id: 'x', model: 'm', object: 'chat.completion.chunk', created: 1, choices: [{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }] }], [null, '[DONE]']]))
    const { translateStream } = await import('../../server/translate')
    const text = await new Response(translateStream(t, new Blob([bytes]).stream())).text()
    const arr = JSON.parse(text)
    expect(arr.map((g: { candidates: { content: { parts: unknown[] } }[] }) => g.candidates[0]!.content.parts)).toEqual([[{ text: 'a' }], []])
  })
})

describe('OpenAI caller -> Gemini upstream', () => {
  test('request: path by stream, tool results named by their call, JSON schema, image URL refused', () => {
    const t = translateRequest('openai', 'gemini', '/v1/chat/completions', {
      model: 'gemini-2.0-flash',
      stream: true,
      max_completion_tokens: 20,
      n: 2,
      user: 'u1',
      response_format: { type: 'json_schema', json_schema: { name: 'o', schema: { type: 'object' } } },
      tool_choice: 'auto',
      tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }],
      messages: [
        { role: 'developer', content: 'D' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'ok', tool_calls: [{ id: 'c9', type: 'function', function: { name: 'w', arguments: '{"a":1}' } }] },
        { role: 'tool', tool_call_id: 'c9', content: 'plain text' },
      ],
    })
    expect(t.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse')
    expect(t.dropped).toEqual(['user'])
    expect(t.body).toEqual({
      systemInstruction: { parts: [{ text: 'D' }] },
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        { role: 'model', parts: [{ text: 'ok' }, { functionCall: { name: 'w', args: { a: 1 } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'w', response: { result: 'plain text' } } }] },
      ],
      generationConfig: { maxOutputTokens: 20, candidateCount: 2, responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } },
      tools: [{ functionDeclarations: [{ name: 'w', parametersJsonSchema: { type: 'object' } }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    })
    expect(() => translateRequest('openai', 'gemini', '/v1/chat/completions', { model: 'g', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] })).toThrow('messages[0].content[0].image_url.url')
  })

  test('stream: whole function calls become tool-call chunks; finish STOP after calls is tool_calls; usage at the end', async () => {
    const t = translateRequest('openai', 'gemini', '/v1/chat/completions', { model: 'g', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] })
    const g = (parts: object[], finish?: string) => ({ candidates: [{ content: { role: 'model', parts }, ...(finish ? { finishReason: finish } : {}), index: 0 }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7, cachedContentTokenCount: 1 }, modelVersion: 'gemini-x' })
    const events = await runStream(t, sse([[null, g([{ text: 'A' }])], [null, g([{ functionCall: { name: 'w', args: { c: 1 } } }, { functionCall: { name: 'v', args: {} } }], 'STOP')]]).replaceAll('\n', '\r\n'))
    const chunks = json(events)
    expect(chunks.map((c) => c.choices[0]?.delta.tool_calls?.[0]?.function ?? c.choices[0]?.delta.content ?? c.choices[0]?.finish_reason ?? c.usage)).toEqual([
      '',
      'A',
      { name: 'w', arguments: '{"c":1}' },
      { name: 'v', arguments: '{}' },
      'tool_calls',
      { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } },
    ])
    expect(chunks[3].choices[0].delta.tool_calls[0].index).toBe(1)
  })

  test('answer and error', () => {
    const t = translateRequest('openai', 'gemini', '/v1/chat/completions', { model: 'g', messages: [{ role: 'user', content: 'x' }] })
    const a = translateAnswer(t, { candidates: [{ content: { role: 'model', parts: [{ text: 'think', thought: true }, { text: 'B' }] }, finishReason: 'SAFETY', index: 0 }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1, thoughtsTokenCount: 3, totalTokenCount: 6 } })
    expect(a).toMatchObject({ object: 'chat.completion', model: 'g', choices: [{ finish_reason: 'content_filter', message: { content: 'B' } }], usage: { prompt_tokens: 2, completion_tokens: 4, total_tokens: 6, completion_tokens_details: { reasoning_tokens: 3 } } })
    const blocked = translateAnswer(t, { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 2, totalTokenCount: 2 } })
    expect(blocked).toMatchObject({ choices: [{ finish_reason: 'content_filter', message: { content: '' } }], usage: { prompt_tokens: 2 } })
    expect(translateError({ caller: 'openai' }, 400, JSON.stringify({ error: { code: 400, message: 'API key not valid', status: 'INVALID_ARGUMENT' } }))).toEqual({ error: { message: 'API key not valid', type: 'invalid_request_error', param: null, code: 'INVALID_ARGUMENT' } })
  })
})

describe('Anthropic <-> Gemini (through the shared form)', () => {
  test('an Anthropic tool round trip reaches Gemini with function names; the Gemini stream comes back as Anthropic events', async () => {
    const t = translateRequest('anthropic', 'gemini', '/v1/messages', {
      model: 'gemini-2.0-flash', max_tokens: 9, stream: true,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'tu', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu', content: '{"ok":true}' }] },
      ],
    })
    expect((t.body as { contents: unknown }).contents).toEqual([
      { role: 'user', parts: [{ text: 'q' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
    ])
    const events = await runStream(t, sse([[null, { candidates: [{ content: { role: 'model', parts: [{ text: 'done' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6 } }]]))
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
    expect(JSON.parse(events[4]!.data).usage).toMatchObject({ input_tokens: 5, output_tokens: 1 })
  })

  test('a Gemini caller against Anthropic: answer as Gemini, error as Gemini', () => {
    const t = translateRequest('gemini', 'anthropic', '/v1beta/models/claude-x:generateContent', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
    expect(t.body).toEqual({ model: 'claude-x', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })
    const a = translateAnswer(t, { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [{ type: 'tool_use', id: 't', name: 'f', input: { z: 1 } }], stop_reason: 'tool_use', usage: { input_tokens: 1, output_tokens: 2 } })
    expect(a).toMatchObject({ candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { z: 1 } } }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 } })
    expect(translateError({ caller: 'gemini' }, 401, JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'bad key' } }))).toMatchObject({ error: { code: 401, message: 'bad key' } })
  })
})
