import { describe, expect, test } from 'bun:test'
import { translateAnswer, translateRequest } from '../../server/translate'
import { json, runStream, sse } from './helpers'

describe('Responses caller -> Chat Completions upstream', () => {
  test('request: instructions, message items, function call items merged, outputs, text format, dropped named', () => {
    const t = translateRequest('responses', 'openai', '/v1/responses', {
      model: 'gpt-4o',
      instructions: 'Be kind',
      max_output_tokens: 64,
      reasoning: { effort: 'low' },
      store: false,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      tools: [{ type: 'function', name: 'f', description: 'F', parameters: { type: 'object' }, strict: false }, { type: 'web_search' }],
      tool_choice: { type: 'function', name: 'f' },
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'data:image/png;base64,QQ', detail: 'low' }] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
        { type: 'function_call', call_id: 'c2', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { type: 'function_call_output', call_id: 'c2', output: 'two' },
      ],
    })
    expect(t.dropped.sort()).toEqual(['reasoning', 'store', 'tools[1]'])
    expect(t.body).toEqual({
      model: 'gpt-4o',
      max_tokens: 64,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      tools: [{ type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object' }, strict: false } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      messages: [
        { role: 'system', content: 'Be kind' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,QQ', detail: 'low' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }, { id: 'c2', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'one' },
        { role: 'tool', tool_call_id: 'c2', content: 'two' },
      ],
    })
  })

  test('previous_response_id cannot be expressed', () => {
    expect(() => translateRequest('responses', 'openai', '/v1/responses', { model: 'm', input: 'x', previous_response_id: 'resp_1' })).toThrow('previous_response_id')
  })

  test('answer: output items for text and calls, usage with cached tokens, incomplete on length', () => {
    const t = translateRequest('responses', 'openai', '/v1/responses', { model: 'gpt-4o', input: 'x' })
    const a = translateAnswer(t, {
      id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o',
      choices: [{ index: 0, finish_reason: 'length', logprobs: null, message: { role: 'assistant', content: 'T', refusal: null, tool_calls: [{ id: 'k', type: 'function', function: { name: 'f', arguments: '{}' } }] } }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 3 } },
    })
    expect(a).toMatchObject({
      object: 'response',
      status: 'incomplete',
      output_text: 'T',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'T' }] }, { type: 'function_call', call_id: 'k', name: 'f', arguments: '{}' }],
      usage: { input_tokens: 5, input_tokens_details: { cached_tokens: 3 }, output_tokens: 2, total_tokens: 7 },
    })
  })

  test('stream: the Responses event sequence with argument deltas and a completed response', async () => {
    const t = translateRequest('responses', 'openai', '/v1/responses', { model: 'gpt-4o', input: 'x', stream: true })
    expect((t.body as { stream_options: unknown }).stream_options).toEqual({ include_usage: true })
    const c = (delta: object, finish: string | null = null) => ({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })
    const events = await runStream(t, sse([
      [null, c({ role: 'assistant', content: 'He' })],
      [null, c({ content: 'y' })],
      [null, c({ tool_calls: [{ index: 0, id: 'k', type: 'function', function: { name: 'f', arguments: '{"a"' } }] })],
      [null, c({ tool_calls: [{ index: 0, function: { arguments: ':2}' } }] })],
      [null, c({}, 'tool_calls')],
      [null, { ...c({}), choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }],
      [null, '[DONE]'],
    ]))
    expect(events.map((e) => e.event)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done', 'response.completed',
    ])
    const data = json(events)
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i))
    expect(data.at(-1).response).toMatchObject({ status: 'completed', output: [{ type: 'message', content: [{ text: 'Hey' }] }, { type: 'function_call', call_id: 'k', arguments: '{"a":2}', status: 'completed' }], usage: { input_tokens: 1, output_tokens: 2 } })
  })

  test('Responses to an Anthropic upstream goes through chat both ways', async () => {
    const t = translateRequest('responses', 'anthropic', '/v1/responses', { model: 'claude-x', input: 'hi', stream: true })
    expect(t.body).toEqual({ model: 'claude-x', max_tokens: 4096, stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })
    const events = await runStream(t, sse([
      ['message_start', { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 2, output_tokens: 0 } } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'yo' } }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }],
      ['message_stop', { type: 'message_stop' }],
    ]))
    expect(JSON.parse(events.at(-1)!.data).response).toMatchObject({ status: 'completed', output_text: 'yo', usage: { input_tokens: 2, output_tokens: 1, total_tokens: 3 } })
  })
})
