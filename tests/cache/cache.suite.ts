/** The response cache's behaviour through a real node, run once per backend (memory.test.ts, redis.test.ts). */
import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { ManualClock } from '../pool/helpers'
import { logsOf } from '../proxy/helpers'
import { startHostileUpstream } from '../support/hostile-upstream'
import { waitFor } from '../support/test-app'
import { CHAT, PROXY_KEY, call, cacheRig, type Backend } from './support'

export function cacheSuite(backend: Backend): void {
  describe(`response cache (${backend})`, () => {
    test('a repeated identical call is a hit: the upstream is not called again, the answer is the same', async () => {
      await using rig = await cacheRig(backend)
      const first = await call(rig.base, CHAT)
      expect(first.status).toBe(200)
      expect(first.headers.get('x-keypool-cache')).toBe('miss')
      const firstBody = await first.text()
      const second = await call(rig.base, CHAT)
      expect(second.headers.get('x-keypool-cache')).toBe('hit')
      expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'))
      expect(await second.text()).toBe(firstBody)
      expect(rig.upstream.requests.length).toBe(1)
    })

    test('key order and whitespace of the JSON body do not matter; ?key= is not part of the key', async () => {
      await using rig = await cacheRig(backend)
      await (await call(rig.base, '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}')).text()
      const reordered = await call(rig.base, '{ "messages" : [ {"content":"hi", "role":"user"} ],\n  "model": "gpt-4o-mini" }')
      expect(reordered.headers.get('x-keypool-cache')).toBe('hit')
      await reordered.text()
      const viaQueryKey = await fetch(`${rig.base}/v1/chat/completions?key=${PROXY_KEY}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(CHAT),
      })
      expect(viaQueryKey.headers.get('x-keypool-cache')).toBe('hit')
      await viaQueryKey.text()
      expect(rig.upstream.requests.length).toBe(1)
    })

    test('different bodies, paths, queries and groups miss', async () => {
      await using rig = await cacheRig(backend)
      const other = await rig.seedGroup('cached-too')
      const otherBase = `${rig.app.url}/proxy/${other.name}`
      const seen: (string | null)[] = []
      for (const [base, body, path] of [
        [rig.base, CHAT, '/v1/chat/completions'],
        [rig.base, { ...CHAT, messages: [{ role: 'user', content: 'hello' }] }, '/v1/chat/completions'],
        [rig.base, CHAT, '/v1/chat/completions?x=1'],
        [rig.base, { model: 'text-embedding-3-small', input: 'hi' }, '/v1/embeddings'],
        [otherBase, CHAT, '/v1/chat/completions'],
      ] as const) {
        const res = await call(base, body, {}, path)
        seen.push(res.headers.get('x-keypool-cache'))
        await res.arrayBuffer()
      }
      expect(seen).toEqual(['miss', 'miss', 'miss', 'miss', 'miss'])
      expect(rig.upstream.requests.length).toBe(5)
    })

    test('only 200 answers are stored', async () => {
      await using rig = await cacheRig(backend)
      rig.upstream.setBehavior('sk-ok-cache-1', '400')
      const refused = await call(rig.base, CHAT)
      expect(refused.status).toBe(400)
      expect(refused.headers.get('x-keypool-cache')).toBe('miss')
      await refused.text()
      rig.upstream.setBehavior('sk-ok-cache-1', null)
      const ok = await call(rig.base, CHAT)
      expect([ok.status, ok.headers.get('x-keypool-cache')]).toEqual([200, 'miss'])
      await ok.text()
      expect(rig.upstream.requests.length).toBe(2)
    })

    test('an entry expires after the group TTL (injected clock)', async () => {
      const clock = new ManualClock(Date.now())
      await using rig = await cacheRig(backend, { clock, ttl: 30 })
      await (await call(rig.base, CHAT)).text()
      clock.advance(29_000)
      expect((await call(rig.base, CHAT)).headers.get('x-keypool-cache')).toBe('hit')
      clock.advance(1_500)
      const stale = await call(rig.base, CHAT)
      expect(stale.headers.get('x-keypool-cache')).toBe('miss')
      await stale.text()
      expect(rig.upstream.requests.length).toBe(2)
    })

    test('cache-control: no-cache bypasses the lookup and refreshes the entry; no-store neither reads nor stores', async () => {
      await using rig = await cacheRig(backend)
      const noStore = await call(rig.base, CHAT, { 'cache-control': 'no-store' })
      expect(noStore.headers.get('x-keypool-cache')).toBe('bypass')
      await noStore.text()
      expect((await call(rig.base, CHAT)).headers.get('x-keypool-cache')).toBe('miss')
      const noCache = await call(rig.base, CHAT, { 'cache-control': 'no-cache' })
      expect(noCache.headers.get('x-keypool-cache')).toBe('bypass')
      await noCache.text()
      expect(rig.upstream.requests.length).toBe(3)
      expect((await call(rig.base, CHAT)).headers.get('x-keypool-cache')).toBe('hit')
      expect(rig.upstream.requests.length).toBe(3)
    })

    test('a stream is recorded while relayed and replayed as SSE byte for byte (openai SDK twice)', async () => {
      await using rig = await cacheRig(backend)
      const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${rig.base}/v1`, maxRetries: 0 })
      const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'stream me' }], stream: true as const }
      const texts: string[] = []
      const raws: string[] = []
      const states: (string | null)[] = []
      for (let i = 0; i < 2; i++) {
        const { data: stream, response } = await client.chat.completions.create(request).withResponse()
        states.push(response.headers.get('x-keypool-cache'))
        expect(response.headers.get('content-type')).toContain('text/event-stream')
        let text = ''
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
        texts.push(text)
        // the raw bytes of the same call, to compare the replay with the original byte for byte
        const raw = await call(rig.base, request, i === 0 ? { 'cache-control': 'no-cache' } : {})
        raws.push(await raw.text())
      }
      expect(states).toEqual(['miss', 'hit'])
      expect(texts[0]!.length).toBeGreaterThan(0)
      expect(texts[1]).toBe(texts[0]!)
      // the no-cache call refreshed the entry with its own bytes; the later hit replays exactly those
      expect(raws[1]).toBe(raws[0]!)
      expect(raws[0]).toContain('data: [DONE]')
      expect(rig.upstream.requests.length).toBe(2)
    })

    test('a stream the upstream cuts before its end is not stored', async () => {
      await using rig = await cacheRig(backend)
      await using hostile = await startHostileUpstream()
      const g = await rig.seedGroup('cut', { upstreams: [{ url: `${hostile.url}/reset-mid-stream`, weight: 1 }] })
      for (let i = 0; i < 2; i++) {
        // relayed as it comes, so the client sees its connection cut (before or after the status line)
        await call(`${rig.app.url}/proxy/${g.name}`, { ...CHAT, stream: true }).then((r) => r.text().catch(() => ''), () => 'cut')
      }
      const cutRows = async () => (await logsOf(rig.app)).filter((r) => r.group_name === 'cut')
      await waitFor(async () => (await cutRows()).length === 2, 5000, 'both cut streams logged')
      // the second call reached the upstream again with a key: the cut stream was not kept
      expect((await cutRows()).map((r) => [r.is_success, r.cache_hit, r.key_id !== null])).toEqual([
        [false, false, true],
        [false, false, true],
      ])
    })

    test('a hit uses no key, is logged as a hit with cost 0, and the group stats show the hit rate', async () => {
      await using rig = await cacheRig(backend)
      for (let i = 0; i < 4; i++) await (await call(rig.base, CHAT)).text()
      const rows = (await logsOf(rig.app)).filter((r) => r.request_type === 'final')
      const hits = rows.filter((r) => r.cache_hit)
      expect(rows.length).toBe(4)
      expect(hits.length).toBe(3)
      for (const h of hits) {
        expect(h).toMatchObject({ key_id: null, key_masked: '', status_code: 200, is_success: true, upstream: '', prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, model: 'gpt-4o-mini' })
        // cost columns arrive from another branch; when present a hit costs nothing
        if ('cost_micros' in h) expect((h as Record<string, unknown>).cost_micros).toBe(0)
      }
      const miss = rows.find((r) => !r.cache_hit)!
      expect(miss.key_id).not.toBeNull()
      const res = await rig.app.api(`/api/groups/${rig.group.id}/stats`)
      const stats = ((await res.json()) as { data: Record<string, { cache_hits: number; hit_rate: number }> }).data
      expect(stats.cache_24_hour).toEqual({ cache_hits: 3, hit_rate: 0.75 })
      expect(stats.cache_30_day).toEqual({ cache_hits: 3, hit_rate: 0.75 })
      const listed = (await (await rig.app.api(`/api/logs?group_name=${rig.group.name}`)).json()) as { data: { items: { cache_hit: boolean }[] } }
      expect(listed.data.items.filter((i) => i.cache_hit).length).toBe(3)
    })
  })
}
