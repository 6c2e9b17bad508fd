import { describe, expect, test } from 'bun:test'
import { translateAnswer, translateError, translateRequest, TranslateError } from '../../server/translate'
import { json, runStream, sse } from './helpers'

const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]

describe('Anthropic caller -> OpenAI upstream', () => {
  test('request: system, multi-turn, tools, tool results, images, params; dropped fields named', () => {
    const t = translateRequest('anthropic', 'openai', '/v1/messages', {
      model: 'gpt-4o',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['END'],
      stream: true,
      tools,
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'tu1', name: 'get_weather', input: { city: 'Paris' } }, { type: 'tool_use', id: 'tu2', name: 'get_weather', input: { city: 'Oslo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: 'sunny' }, { type: 'tool_result', tool_use_id: 'tu2', content: [{ type: 'text', text: 'rain' }] }, { type: 'text', text: 'And?' }] },
      ],
    })
    expect(t.path).toBe('/v1/chat/completions')
    expect(t.dropped).toEqual(['cache_control', 'top_k'])
    expect(t.body).toEqual({
      model: 'gpt-4o',
      max_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      stop: ['END'],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: tools[0]!.input_schema } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'tu1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'tu2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'tu1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'tu2', content: 'rain' },
        { role: 'user', content: 'And?' },
      ],
    })
  })

  test('a document block cannot be expressed: the error names the field', () => {
    const body = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x', media_type: 'text/plain' } }] }] }
    expect(() => translateRequest('anthropic', 'openai', '/v1/messages', body)).toThrow(new TranslateError('messages[0].content[0].type', '"document" cannot be sent to this provider'))
  })

  test('an image a tool returned follows the tool message in a user turn (chat tool results are text only)', () => {
    const t = translateRequest('anthropic', 'openai', '/v1/messages', {
      model: 'gpt-4o', max_tokens: 5,
      messages: [
        { role: 'user', content: 'shot' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'tu', name: 'screenshot', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu', content: [{ type: 'text', text: 'here: ' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'PNG' } }] }] },
      ],
    })
    expect((t.body as { messages: unknown[] }).messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'tu', content: 'here: [image in the next message]' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,PNG' } }] },
    ])
  })

  test('answer: text and parallel tool calls, finish reason, usage with cached tokens', () => {
    const t = translateRequest('anthropic', 'openai', '/v1/messages', { model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
    const a = translateAnswer(t, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o',
      choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null, message: { role: 'assistant', content: 'Sure', refusal: null, tool_calls: [
        { id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
        { id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } },
      ] } }],
      usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14, prompt_tokens_details: { cached_tokens: 6 } },
    }) as Record<string, unknown>
    expect(a).toMatchObject({
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      stop_reason: 'tool_use',
      content: [{ type: 'text', text: 'Sure' }, { type: 'tool_use', id: 'c1', name: 'a', input: { x: 1 } }, { type: 'tool_use', id: 'c2', name: 'b', input: {} }],
      usage: { input_tokens: 4, output_tokens: 4, cache_read_input_tokens: 6 },
    })
  })

  test('stream: text then streamed tool-argument deltas of two calls become content blocks', async () => {
    const t = translateRequest('anthropic', 'openai', '/v1/messages', { model: 'gpt-4o', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] })
    const c = (delta: object, finish: string | null = null) => ({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })
    const upstream = sse([
      [null, c({ role: 'assistant', content: '' })],
      [null, c({ content: 'Hel' })],
      [null, c({ content: 'lo' })],
      [null, c({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'a', arguments: '' } }] })],
      [null, c({ tool_calls: [{ index: 0, function: { arguments: '{"x"' } }] })],
      [null, c({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] })],
      [null, c({ tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } }] })],
      [null, c({}, 'tool_calls')],
      [null, { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }],
      [null, '[DONE]'],
    ])
    const events = await runStream(t, upstream)
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ])
    const data = json(events)
    expect(data[5].content_block).toEqual({ type: 'tool_use', id: 'c1', name: 'a', input: {} })
    expect(data[6].delta).toEqual({ type: 'input_json_delta', partial_json: '{"x"' })
    expect(data[9].content_block).toMatchObject({ id: 'c2', name: 'b' })
    expect(data[12]).toEqual({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 9, output_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } })
  })

  test('an OpenAI error becomes an Anthropic error', () => {
    const body = translateError({ caller: 'anthropic' }, 429, JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }))
    expect(body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } })
  })
})

describe('OpenAI caller -> Anthropic upstream', () => {
  test('request: system merged, tool results grouped, images, max_tokens default, temperature capped, dropped named', () => {
    const t = translateRequest('openai', 'anthropic', '/v1/chat/completions', {
      model: 'claude-x',
      temperature: 1.5,
      top_p: 0.5,
      stop: 'STOP',
      seed: 3,
      response_format: { type: 'json_object' },
      parallel_tool_calls: false,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      messages: [
        { role: 'system', content: 'S1' },
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }, { id: 'c2', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'r1' },
        { role: 'tool', tool_call_id: 'c2', content: 'r2' },
      ],
    })
    expect(t.path).toBe('/v1/messages')
    expect(t.dropped.sort()).toEqual(['response_format', 'seed', 'top_p'])
    expect(t.body).toEqual({
      model: 'claude-x',
      max_tokens: 4096,
      system: 'S1',
      temperature: 1,
      stop_sequences: ['STOP'],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } }, { type: 'tool_use', id: 'c2', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'r1' }, { type: 'tool_result', tool_use_id: 'c2', content: 'r2' }] },
      ],
    })
  })

  test('json_schema response format goes to output_config; n > 1 cannot be expressed', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    const t = translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'o', schema } } })
    expect((t.body as Record<string, unknown>).output_config).toEqual({ format: { type: 'json_schema', schema } })
    expect(() => translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', n: 2, messages: [] })).toThrow('n: ')
    expect(() => translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: 'not json' } }] }] })).toThrow('messages[0].tool_calls[0].function.arguments')
  })

  test('answer: tool_use and text, stop reason and usage with cache reads', () => {
    const t = translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', messages: [{ role: 'user', content: 'x' }] })
    const a = translateAnswer(t, {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', stop_reason: 'max_tokens', stop_sequence: null,
      content: [{ type: 'text', text: 'A' }, { type: 'tool_use', id: 't1', name: 'f', input: { q: 'z' } }],
      usage: { input_tokens: 3, output_tokens: 2, cache_read_input_tokens: 10, cache_creation_input_tokens: 1 },
    })
    expect(a).toMatchObject({
      id: 'msg_1',
      object: 'chat.completion',
      model: 'claude-x',
      choices: [{ index: 0, finish_reason: 'length', message: { role: 'assistant', content: 'A', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"q":"z"}' } }] } }],
      usage: { prompt_tokens: 14, completion_tokens: 2, total_tokens: 16, prompt_tokens_details: { cached_tokens: 10 } },
    })
  })

  test('stream: Anthropic events become chat chunks with tool-argument deltas, usage last', async () => {
    const t = translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] })
    const upstream = sse([
      ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], usage: { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 2 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['ping', { type: 'ping' }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't1', name: 'f', input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '2}' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } }],
      ['message_stop', { type: 'message_stop' }],
    ])
    const events = await runStream(t, upstream, 5)
    expect(events.at(-1)!.data).toBe('[DONE]')
    const chunks = json(events)
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hi' },
      { tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '2}' } }] },
      {},
      null,
    ])
    expect(chunks[5].choices[0].finish_reason).toBe('tool_calls')
    expect(chunks[6].usage).toEqual({ prompt_tokens: 7, completion_tokens: 7, total_tokens: 14, prompt_tokens_details: { cached_tokens: 2 } })
    // a caller that did not ask for usage gets the stream it asked for: no usage-only chunk
    const plain = translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', stream: true, messages: [{ role: 'user', content: 'x' }] })
    const without = json(await runStream(plain, upstream, 5))
    expect(without.length).toBe(6)
    expect(without.every((c) => c.choices.length === 1)).toBe(true)
  })

  test('an Anthropic error becomes an OpenAI error', () => {
    const body = translateError({ caller: 'openai' }, 400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }))
    expect(body).toEqual({ error: { message: 'bad', type: 'invalid_request_error', param: null, code: 'invalid_request_error' } })
  })
})
