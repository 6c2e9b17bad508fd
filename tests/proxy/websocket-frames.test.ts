/** The pure parts of WebSocket proxying: subprotocol key extraction and usage read from frames. */
import { describe, expect, test } from 'bun:test'
import { readClientProtocols } from '../../server/proxy/websocket-protocols'
import { clientFrameModel, FrameUsage } from '../../server/proxy/websocket-usage'

describe('readClientProtocols', () => {
  test("takes the key out of OpenAI's browser subprotocols and keeps the rest in order", () => {
    expect(readClientProtocols('realtime, openai-insecure-api-key.kp-abc, openai-organization.org1, openai-beta.realtime-v1')).toEqual({
      key: 'kp-abc',
      forward: ['realtime', 'openai-organization.org1', 'openai-beta.realtime-v1'],
    })
    expect(readClientProtocols(null)).toEqual({ key: null, forward: [] })
    expect(readClientProtocols('openai-insecure-api-key.')).toEqual({ key: null, forward: [] })
  })
})

describe('FrameUsage', () => {
  test('sums Realtime response.done events, ignores other frames, binary media and broken JSON', () => {
    const u = new FrameUsage()
    u.push('{"type":"response.audio.delta","delta":"AAAA"}')
    u.push('{"type":"response.done","response":{"usage":{"input_tokens":10,"output_tokens":2,"total_tokens":12}}}')
    u.push('{"type":"response.done","response":{"usage":{"input_tokens":5,"output_tokens":1}}}')
    u.push('{"type":"response.done", broken')
    u.push(new Uint8Array([0xff, 0x00, 0x7b]))
    expect(u.result()).toEqual({ prompt_tokens: 15, completion_tokens: 3, total_tokens: 18 })
  })

  test('Gemini usageMetadata from binary frames counts thinking as output', () => {
    const u = new FrameUsage()
    const msg = { usageMetadata: { promptTokenCount: 8, responseTokenCount: 3, thoughtsTokenCount: 2, totalTokenCount: 13 } }
    u.push(new TextEncoder().encode(JSON.stringify(msg)).buffer as ArrayBuffer)
    expect(u.result()).toEqual({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 })
  })

  test('no usage event: null; the model named by response.completed is kept', () => {
    const u = new FrameUsage()
    u.push('{"type":"session.created"}')
    expect(u.result()).toBeNull()
    u.push('{"type":"response.completed","response":{"model":"gpt-5","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2}}}')
    expect(u.model).toBe('gpt-5')
  })

  test('clientFrameModel reads Gemini setup and Responses response.create', () => {
    expect(clientFrameModel('{"setup":{"model":"models/gemini-live-2.5-flash"}}')).toBe('gemini-live-2.5-flash')
    expect(clientFrameModel('{"type":"response.create","model":"gpt-5-codex","input":[]}')).toBe('gpt-5-codex')
    expect(clientFrameModel('{"type":"input_audio_buffer.append","audio":"AAAA"}')).toBeNull()
  })
})
