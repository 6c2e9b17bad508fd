/**
 * Waits for a spawned keypool to answer /health, then opens N streams through it that the fake upstream never
 * finishes (`sk-hang-*` pool keys) and waits until all N are open at the upstream together. A load process sends
 * them (`bun test` caps its own fetch at 256 in flight); it is killed at the end, which closes the streams.
 */
import { expect } from 'bun:test'
import { join } from 'node:path'
import type { FakeUpstream } from './fake-upstream'
import { processTree, treePeakMB } from './process-tree'

export interface HoldStreams {
  proc: Bun.Subprocess<'ignore' | 'inherit' | 'pipe', 'pipe', 'pipe'>
  url: string
  key: string
  upstream: FakeUpstream
  streams: number
}

/** The processes of the keypool tree while all streams were open, and how many reached the upstream. */
export async function holdStreams(o: HoldStreams): Promise<{ processes: number[]; arrived: number }> {
  let out = ''
  const collect = async (s: ReadableStream<Uint8Array>) => {
    for await (const c of s) out += new TextDecoder().decode(c)
  }
  void collect(o.proc.stdout)
  void collect(o.proc.stderr)
  while (!(await fetch(`${o.url}/health`).then((r) => r.ok, () => false))) {
    if (o.proc.exitCode !== null) throw new Error(`keypool exited with ${o.proc.exitCode}:\n${out}`)
    await Bun.sleep(50)
  }
  const before = o.upstream.requests.length
  const load = Bun.spawn(
    [process.execPath, join(import.meta.dir, 'sse-load.ts'), `${o.url}/v1/chat/completions`, String(o.streams), '5', JSON.stringify({ authorization: `Bearer ${o.key}` })],
    { env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: '16384' }, stdout: 'ignore', stderr: 'inherit' },
  )
  try {
    // Capped at 256 in flight, the rest would wait for streams that never end: this would never hold.
    await o.upstream.waitFor((reqs) => reqs.length - before >= o.streams)
    return { processes: processTree(o.proc.pid), arrived: o.upstream.requests.length - before }
  } finally {
    load.kill('SIGKILL')
    await load.exited
  }
}

/**
 * The one-process check of `bun start` and of the binary: 1,000 streams open through `o.proc` with no second
 * process in its tree (its peak RSS printed as `label`), then a clean exit on SIGTERM; killed if it gets stuck.
 */
export async function expectOneProcessHolding(label: string, o: Omit<HoldStreams, 'streams'>): Promise<void> {
  try {
    const result = await holdStreams({ ...o, streams: 1000 })
    console.log(`${label}: ${result.processes.length} process, peak RSS ${treePeakMB(o.proc.pid).toFixed(1)} MB with 1,000 streams open`)
    expect(result).toEqual({ processes: [o.proc.pid], arrived: 1000 })
    expect(processTree(o.proc.pid)).toEqual([o.proc.pid])
    o.proc.kill('SIGTERM')
    expect(await o.proc.exited).toBe(0)
  } finally {
    if (o.proc.exitCode === null) o.proc.kill('SIGKILL')
    await o.proc.exited
  }
}
