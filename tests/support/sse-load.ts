/**
 * Opens N SSE streams at once and prints one JSON line with what arrived. Run as its own process with
 * BUN_CONFIG_MAX_HTTP_REQUESTS set so the streams are really concurrent (see spawn-node.ts).
 * usage: bun sse-load.ts <url> <n> <chunks> <headers-json>
 */
const [url, n, chunks, headersJson] = process.argv.slice(2)
const headers = { 'content-type': 'application/json', ...(JSON.parse(headersJson ?? '{}') as Record<string, string>) }

async function one(i: number) {
  try {
    const res = await fetch(url!, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        fake_chunks: Number(chunks),
        fake_chunk_delay_ms: 20,
        messages: [{ role: 'user', content: `stream ${i} says hello to everyone on this proxy` }],
      }),
    })
    const text = await res.text()
    const data = text.split('\n').filter((l) => l.startsWith('data: '))
    const content = data.filter((l) => l.includes('"content"')).length
    return { status: res.status, done: data.at(-1) === 'data: [DONE]', content }
  } catch (err) {
    return { status: 0, done: false, content: 0, error: String(err) }
  }
}

const results = await Promise.all(Array.from({ length: Number(n) }, (_, i) => one(i)))
console.log(
  JSON.stringify({
    total: results.length,
    ok: results.filter((r) => r.status === 200 && r.done).length,
    statuses: [...new Set(results.map((r) => r.status))],
    contentChunks: [...new Set(results.map((r) => r.content))],
  }),
)
export {}
