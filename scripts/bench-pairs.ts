/**
 * The access-key aim measured in pairs: ONE keypool process (one node, then one on Redis) and wrk runs that
 * alternate between the proxy key and the access key on it, `rounds` times. Separate harness runs compare two
 * processes started minutes apart on a machine whose speed drifts by ±10 %; pairs taken seconds apart on the same
 * process leave only what the key itself costs. The ratio reported is the median of the rounds' access/plain ratios.
 * Run by `bun run bench` after the variants (`--pairs=0` skips it), or alone: `bun scripts/bench-pairs.ts`.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BENCH_CLIENT_KEY, BENCH_PORT, benchNode } from './bench-node'
import { ROOT } from './ensure-deps'

export interface PairOptions {
  /** the harness copy holding mock-upstream.ts */
  harnessDir: string
  rounds: number
  seconds: number
  conns: number
  redisDsn: string
}

export interface PairResult {
  setup: 'one node' | 'Redis counters'
  plain: number[]
  access: number[]
  /** median of access/plain per round */
  ratio: number
}

const PORT = BENCH_PORT
const UPSTREAM_PORT = 18080
const CLIENT_KEY = BENCH_CLIENT_KEY
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], max_tokens: 32 })

async function waitUp(url: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).status < 500) return
    } catch {}
    await Bun.sleep(200)
  }
  throw new Error(`${url} did not answer within ${ms} ms`)
}

async function wrk(dir: string, key: string, o: PairOptions): Promise<number> {
  const lua = join(dir, `wrk-${key.slice(0, 6)}.lua`)
  writeFileSync(lua, [`wrk.method = "POST"`, `wrk.body = ${JSON.stringify(BODY)}`, `wrk.headers["content-type"] = "application/json"`, `wrk.headers["authorization"] = ${JSON.stringify(`Bearer ${key}`)}`].join('\n') + '\n')
  const p = Bun.spawn(['wrk', '-t1', `-c${o.conns}`, `-d${o.seconds}s`, '-s', lua, `http://127.0.0.1:${PORT}/proxy/default/v1/chat/completions`], { stdout: 'pipe', stderr: 'pipe' })
  const out = await new Response(p.stdout).text()
  await p.exited
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw errors through ${key.slice(0, 6)}…:\n${out}`)
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out)
  if (!m) throw new Error(`wrk printed no rate:\n${out}`)
  return Number(m[1])
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

async function pairSetup(setup: PairResult['setup'], o: PairOptions): Promise<PairResult> {
  const redis = setup === 'Redis counters'
  const node = await benchNode(redis ? 'pairs-redis' : 'pairs', `http://127.0.0.1:${UPSTREAM_PORT}`, redis ? o.redisDsn : undefined)
  const { seed } = node
  // wrk's scripts go beside the node's data
  const data = node.env.DATA_DIR!
  const mock = Bun.spawn([process.execPath, 'mock-upstream.ts'], { cwd: o.harnessDir, env: { ...process.env, UPSTREAM_PORT: String(UPSTREAM_PORT) }, stdout: 'ignore', stderr: 'ignore' })
  const keypool = Bun.spawn([process.execPath, 'start'], {
    cwd: ROOT,
    env: { ...process.env, ...node.env },
    stdout: 'ignore',
    stderr: 'inherit',
  })
  try {
    await waitUp(`http://127.0.0.1:${UPSTREAM_PORT}/__stats`)
    await waitUp(`http://127.0.0.1:${PORT}/health`)
    await wrk(data, CLIENT_KEY, { ...o, seconds: 2 })
    await wrk(data, seed.accessKey, { ...o, seconds: 2 })
    const plain: number[] = []
    const access: number[] = []
    for (let i = 0; i < o.rounds; i++) {
      // the order alternates too, so a drift within a round favours neither
      if (i % 2 === 0) {
        plain.push(await wrk(data, CLIENT_KEY, o))
        access.push(await wrk(data, seed.accessKey, o))
      } else {
        access.push(await wrk(data, seed.accessKey, o))
        plain.push(await wrk(data, CLIENT_KEY, o))
      }
    }
    return { setup, plain, access, ratio: median(plain.map((p, i) => access[i]! / p)) }
  } finally {
    keypool.kill('SIGTERM')
    mock.kill('SIGTERM')
    await Promise.all([keypool.exited, mock.exited])
    node.cleanup()
  }
}

export async function benchPairs(o: PairOptions): Promise<PairResult[]> {
  return [await pairSetup('one node', o), await pairSetup('Redis counters', o)]
}

export function pairTable(results: PairResult[], o: PairOptions): string {
  const f = (xs: number[]) => xs.map((x) => Math.round(x)).join(' / ')
  const lines = [
    `| setup | proxy key rps (${o.rounds} runs of ${o.seconds} s, c=${o.conns}) | access key rps | median access/plain | aim ≥ 0.97× |`,
    '|---|---|---|---|---|',
  ]
  for (const r of results) lines.push(`| ${r.setup} | ${f(r.plain)} | ${f(r.access)} | ${r.ratio.toFixed(3)}× | ${r.ratio >= 0.97 ? 'met' : 'missed'} |`)
  return lines.join('\n')
}

if (import.meta.main) {
  const arg = (n: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${n}=`))?.split('=')[1] ?? d)
  const o: PairOptions = { harnessDir: join(ROOT, '.bench'), rounds: arg('rounds', 6), seconds: arg('seconds', 5), conns: arg('conns', 50), redisDsn: process.env.BENCH_REDIS_DSN ?? 'redis://127.0.0.1:6379' }
  console.log(pairTable(await benchPairs(o), o))
}
