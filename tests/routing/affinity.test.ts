/** Session affinity (group setting session_affinity): one session, one key, while that key stays usable. */
import { describe, expect, test } from 'bun:test'
import { SessionAffinity, sessionOf } from '../../server/proxy/session-affinity'
import { chatAt, routingRig } from './helpers'

const keys = ['sk-k1', 'sk-k2', 'sk-k3']

describe('session affinity', () => {
  test('off by default: requests of one session rotate over the keys', async () => {
    await using rig = await routingRig()
    await rig.group('g', { models: ['m'] }, keys)
    for (let i = 0; i < 3; i++) await chatAt(rig.app.url, 'm', undefined, {}, { 'x-session-id': 's-1' })
    expect(new Set(rig.upstream.requests.map((r) => r.key)).size).toBe(3)
  })

  test('on: x-session-id, OpenAI user and Anthropic metadata.user_id each stick to one key; other sessions still spread', async () => {
    await using rig = await routingRig()
    await rig.group('g', { models: ['m'], config: { session_affinity: true } }, keys)
    const claude = await rig.group('c', { channel_type: 'anthropic', models: ['claude-x'], config: { session_affinity: true } }, keys.map((k) => `${k}-ant`))
    const keyOf = (i: number) => rig.upstream.requests[i]!.key
    for (let i = 0; i < 4; i++) expect((await chatAt(rig.app.url, 'm', undefined, {}, { 'x-session-id': 'session-a' })).status).toBe(200)
    expect(new Set(rig.upstream.requests.map((r) => r.key)).size).toBe(1)
    rig.upstream.reset()
    for (let i = 0; i < 3; i++) await chatAt(rig.app.url, 'm', undefined, { user: 'alice' })
    for (let i = 0; i < 3; i++) await chatAt(rig.app.url, 'm', undefined, { user: 'bob' })
    const alice = rig.upstream.requests.slice(0, 3).map((r) => r.key)
    const bob = rig.upstream.requests.slice(3).map((r) => r.key)
    expect(new Set(alice).size).toBe(1)
    expect(new Set(bob).size).toBe(1)
    expect(alice[0]).not.toBe(bob[0]) // round-robin gave the second session the next key
    rig.upstream.reset()
    const message = (user: string) =>
      fetch(`${rig.app.url}/proxy/${claude.name}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'test-admin-key-0123456789', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-x', max_tokens: 5, metadata: { user_id: user }, messages: [{ role: 'user', content: 'hi' }] }),
      })
    for (let i = 0; i < 3; i++) expect((await message('u-1')).status).toBe(200)
    expect(new Set([keyOf(0), keyOf(1), keyOf(2)]).size).toBe(1)
  })

  test('the key stops being usable: the session moves to another key and stays there', async () => {
    await using rig = await routingRig()
    await rig.group('g', { models: ['m'], config: { session_affinity: true } }, keys)
    await chatAt(rig.app.url, 'm', undefined, {}, { 'x-session-id': 's' })
    const first = rig.upstream.requests[0]!.key!
    rig.upstream.reset() // (forgets behaviours too: set it after)
    rig.upstream.setBehavior(first, '429')
    for (let i = 0; i < 3; i++) expect((await chatAt(rig.app.url, 'm', undefined, {}, { 'x-session-id': 's' })).status).toBe(200)
    // the 429 cooled the first key: one failed attempt, then a new key that keeps the session
    const seen = rig.upstream.requests.map((r) => r.key)
    expect(seen[0]).toBe(first)
    expect(seen.slice(1).every((k) => k === seen[1] && k !== first)).toBe(true)
    expect(seen.length).toBe(4)
  })

  test('the map is bounded per group: the least recently used session leaves first', () => {
    const a = new SessionAffinity(2)
    a.set(1, 's1', { groupId: 1, keyId: 1 })
    a.set(1, 's2', { groupId: 1, keyId: 2 })
    expect(a.get(1, 's1')).toEqual({ groupId: 1, keyId: 1 }) // s1 used again: s2 is now the oldest
    a.set(1, 's3', { groupId: 1, keyId: 3 })
    expect([a.get(1, 's1'), a.get(1, 's2'), a.get(1, 's3')]).toEqual([{ groupId: 1, keyId: 1 }, undefined, { groupId: 1, keyId: 3 }])
    expect(a.get(2, 's1')).toBeUndefined()
  })

  test('where the session comes from: the header first, then user, then metadata.user_id', () => {
    const h = (o: Record<string, string> = {}) => new Headers(o)
    const b = (o: unknown) => new TextEncoder().encode(JSON.stringify(o))
    expect(sessionOf(h({ 'x-session-id': 'abc' }), b({ user: 'u' }))).toBe('abc')
    expect(sessionOf(h(), b({ user: 'u' }))).toBe('user:u')
    expect(sessionOf(h(), b({ metadata: { user_id: 'm' } }))).toBe('user:m')
    expect(sessionOf(h(), b({ model: 'x' }))).toBeNull()
    expect(sessionOf(h(), new TextEncoder().encode('not json'))).toBeNull()
  })
})
