import { expect, test } from 'bun:test'
import { relay, type RelayEnd } from '../../server/proxy/relay'

const enc = new TextEncoder()

/** An upstream body that sends `chunks`, then ends (or fails with `failWith`); records whether it was cancelled. */
function upstream(chunks: string[], failWith?: Error) {
  const state = { cancelled: null as unknown }
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(enc.encode(chunks[i++]!))
      else if (failWith) c.error(failWith)
      else c.close()
    },
    cancel(reason) {
      state.cancelled = reason ?? 'cancelled'
    },
  })
  return { body, state }
}

function hooks(onChunk?: (c: Uint8Array) => void) {
  const ends: RelayEnd[] = []
  const seen: string[] = []
  let aborted = 0
  let clock = 100
  return {
    ends,
    seen,
    aborted: () => aborted,
    hooks: {
      onChunk: onChunk ?? ((c: Uint8Array) => seen.push(new TextDecoder().decode(c))),
      onEnd: (e: RelayEnd) => ends.push(e),
      abortUpstream: () => void aborted++,
      now: () => clock++,
    },
  }
}

test('every chunk reaches the client in order, each shown to onChunk; onEnd once, completed', async () => {
  const up = upstream(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n'])
  const h = hooks()
  const text = await new Response(relay(up.body, h.hooks)).text()
  expect(text).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n')
  expect(h.seen).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n'])
  expect(h.ends).toEqual([{ completed: true, clientGone: false, firstByteAt: 100 }])
  expect(h.aborted()).toBe(0)
})

test('an upstream error mid-body ends the client stream with an error and reports it, not as the client leaving', async () => {
  const boom = new Error('upstream reset')
  const up = upstream(['data: 1\n\n'], boom)
  const h = hooks()
  const read = new Response(relay(up.body, h.hooks)).text()
  expect(await read.then(() => 'ended', () => 'failed')).toBe('failed')
  expect(h.ends).toEqual([{ completed: false, clientGone: false, error: boom, firstByteAt: 100 }])
})

test('the client going away aborts the upstream call and cancels its body; onEnd says clientGone', async () => {
  const up = upstream(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'])
  const h = hooks()
  const reader = relay(up.body, h.hooks).getReader()
  await reader.read()
  await reader.cancel('bye')
  expect(h.ends).toEqual([{ completed: false, clientGone: true, error: 'bye', firstByteAt: 100 }])
  expect(h.aborted()).toBe(1)
  expect(up.state.cancelled).toBe('bye')
})

test('a throwing onChunk (usage parsing) never breaks the stream', async () => {
  const up = upstream(['a', 'b'])
  const h = hooks(() => {
    throw new Error('bad usage json')
  })
  expect(await new Response(relay(up.body, h.hooks)).text()).toBe('ab')
  expect(h.ends).toEqual([{ completed: true, clientGone: false, firstByteAt: 100 }])
})

test('an empty body completes with no first byte', async () => {
  const h = hooks()
  expect(await new Response(relay(upstream([]).body, h.hooks)).text()).toBe('')
  expect(h.ends).toEqual([{ completed: true, clientGone: false, firstByteAt: null }])
})
