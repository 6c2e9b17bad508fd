// Builders for store test data: complete rows with overridable fields.
import { newGroup as baseGroup } from '../../db/new-group'
import type { KeyCipher, NewGroup, RequestLog } from '../../db/types'

export function newGroup(name: string, over: Partial<NewGroup> = {}): NewGroup {
  return baseGroup(name, { display_name: `Group ${name}`, upstreams: [{ url: 'https://api.example.com', weight: 1 }], ...over })
}

export function logRow(over: Partial<RequestLog> = {}): RequestLog {
  return {
    timestamp: 1_700_000_000_000,
    group_id: 1,
    group_name: 'g',
    key_id: 1,
    key_hash: 'h1',
    key_masked: 'sk-ab…wxyz',
    model: 'gpt-4o',
    method: 'POST',
    path: '/v1/chat/completions',
    status_code: 200,
    is_success: true,
    duration_ms: 120,
    ttfb_ms: 40,
    is_stream: false,
    attempt: 1,
    retries: 0,
    upstream: 'https://api.example.com',
    source_ip: '10.0.0.1',
    user_agent: 'test',
    error_message: '',
    prompt_tokens: 10,
    completion_tokens: 5,
    total_tokens: 15,
    request_body: null,
    request_type: 'final',
    protocol_in: '',
    protocol_out: '',
    access_key_id: null,
    cost_micros: 0,
    priced: false,
    cached_tokens: 0,
    cache_write_tokens: 0,
    tier: 0,
    cache_hit: false,
    ...over,
  }
}

/** Wraps a cipher and records what the store asked it to decrypt: exactly the raw key_value column. */
export function recordingCipher(inner: KeyCipher): KeyCipher & { seenStored: string[] } {
  const seenStored: string[] = []
  return {
    seenStored,
    encrypt: (p) => inner.encrypt(p),
    decrypt: (stored) => {
      seenStored.push(stored)
      return inner.decrypt(stored)
    },
    hash: (p) => inner.hash(p),
  }
}
