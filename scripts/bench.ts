/**
 * `bun run bench`: copies ../shared/bench (which may be read-only) into the git-ignored .bench/ and runs it
 * against keypool in quick mode next to direct, nginx, a raw Bun proxy, a raw Go proxy and Portkey (the main run,
 * its full table).
 * Then, since the harness takes one project target per run, it runs the harness again per variant of keypool
 * (`--targets=bun-raw,project`, same duration), and prints one table of the variants with their ratios to the
 * plain-key run and to bun-raw:
 *   plain         a proxy key (AUTH_KEY) on the openai group `default`, one node
 *   access        an access key with an RPM limit that never refuses, same group, one node (aim: ≥ 0.97× plain)
 *   plain-redis   as plain, with REDIS_DSN (pool and counters in Redis, a unique REDIS_KEY_PREFIX)
 *   access-redis  as access, with REDIS_DSN (aim: ≥ 0.97× plain-redis)
 *   translated    the same OpenAI chat call into an anthropic group with protocol_translation (aim: ≥ 0.85× plain)
 * Last, the access-key aim in pairs (scripts/bench-pairs.ts): one keypool process, wrk alternating between the proxy
 * key and the access key, one node and on Redis; the fair measure of what an access key costs.
 * Flags: `--variants=plain,access,…` (default all; `none` = the main run only), `--no-main` (variants only),
 * `--pairs=N` (rounds of the paired runs, default 10; 0 = none); the rest go to the harness (`bun run bench --
 * --quick`, `--duration=5`; `--targets` and `--out` to the main run).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ensureDeps, ROOT } from './ensure-deps'

ensureDeps()
const { benchPool } = await import('./bench-pool')
const { benchNode, BENCH_CLIENT_KEY, BENCH_PORT } = await import('./bench-node')
console.log(`key pool (in process):\n${(await benchPool()).join('\n')}\n`)
const source = resolve(ROOT, '..', 'shared', 'bench')
if (!existsSync(join(source, 'bench.ts'))) {
  console.error(`bench harness not found at ${source}`)
  process.exit(2)
}
const work = join(ROOT, '.bench')
mkdirSync(work, { recursive: true })
// keep earlier results; refresh the harness itself
cpSync(source, work, { recursive: true, force: true, filter: (p) => !p.includes(`${source}/results`) })
Bun.spawnSync(['chmod', '-R', 'u+w', work])

// The tools and peers the harness needs, each a shell test and the Debian package that passes it: wrk, nginx, and
// Go for the go-raw peer (Go's httputil.ReverseProxy, the ceiling of a Go gateway such as GPT-Load), which
// peers/go-raw.sh takes from PATH or from where golang-1.19-go puts it.
const needs: [test: string, pkg: string][] = [
  ['command -v wrk', 'wrk'],
  ['command -v nginx || test -x /usr/sbin/nginx', 'nginx'],
  ['command -v go || test -x /usr/lib/go-1.19/bin/go', 'golang-1.19-go'],
]
const missing = needs.filter(([test]) => Bun.spawnSync(['sh', '-c', test]).exitCode !== 0).map(([, pkg]) => pkg)
if (missing.length) {
  console.error(`installing ${missing.join(', ')} for the benchmark (apt-get)`)
  Bun.spawnSync(['sh', '-c', `apt-get update -qq && apt-get install -y -qq ${missing.join(' ')}`], { stdout: 'inherit', stderr: 'inherit' })
}

type VariantName = 'plain' | 'access' | 'plain-redis' | 'access-redis' | 'translated'
interface Variant {
  name: VariantName
  what: string
  accessKey: boolean
  redis: boolean
  translated: boolean
  /** the run this one is compared with, and the least ratio of requests/s the aim allows */
  reference?: VariantName
  aim?: number
}
const VARIANTS: Variant[] = [
  { name: 'plain', what: 'proxy key, openai group', accessKey: false, redis: false, translated: false },
  { name: 'access', what: 'access key (RPM limit never reached)', accessKey: true, redis: false, translated: false, reference: 'plain', aim: 0.97 },
  { name: 'plain-redis', what: 'proxy key, REDIS_DSN', accessKey: false, redis: true, translated: false, reference: 'plain' },
  { name: 'access-redis', what: 'access key, counters in Redis', accessKey: true, redis: true, translated: false, reference: 'plain-redis', aim: 0.97 },
  { name: 'translated', what: 'chat → anthropic group (protocol_translation)', accessKey: false, redis: false, translated: true, reference: 'plain', aim: 0.85 },
]

const raw = process.argv.slice(2)
const flag = (name: string) => raw.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
const variantsFlag = flag('variants')?.split('=')[1]
const chosen = variantsFlag === undefined ? VARIANTS.map((v) => v.name) : variantsFlag === 'none' ? [] : variantsFlag.split(',').map((s) => s.trim()).filter(Boolean)
const unknown = chosen.filter((n) => !VARIANTS.some((v) => v.name === n))
if (unknown.length) {
  console.error(`--variants: unknown ${unknown.join(', ')} (known: ${VARIANTS.map((v) => v.name).join(', ')}, or none)`)
  process.exit(2)
}
const runMain = !flag('no-main')
const pairRounds = Number(flag('pairs')?.split('=')[1] ?? 10)
const harnessArgs = raw.filter((a) => !/^--(variants|no-main|pairs)(=|$)/.test(a))
const variantArgs = harnessArgs.filter((a) => !/^--(targets|out)(=|$)/.test(a))

const PORT = BENCH_PORT
const clientKey = BENCH_CLIENT_KEY
const redisDsn = process.env.BENCH_REDIS_DSN ?? 'redis://127.0.0.1:6379'
const upstream = `http://127.0.0.1:${process.env.UPSTREAM_PORT ?? 18080}` // where the harness starts its mock

async function portFree(port: number, ms = 20_000): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) })
    } catch {
      return true
    }
    await Bun.sleep(250)
  }
  return false
}

/** One harness run with keypool as its project target, on a fresh data directory seeded before keypool starts. */
async function harness(v: Variant, args: string[]): Promise<number> {
  const node = await benchNode(v.name, upstream, v.redis ? redisDsn : undefined)
  const { seed } = node
  const cmd = [
    ...Object.entries(node.env).map(([k, value]) => `${k}=${value}`),
    // as users run it: `bun start`, one process that sets BUN_CONFIG_MAX_HTTP_REQUESTS for itself
    `exec ${process.execPath} start`,
  ].join(' ')
  // the previous run's keypool, mock and bun-raw are stopped by the harness; wait until their ports are closed
  const upstreamPort = Number(new URL(upstream).port)
  for (const port of [PORT, upstreamPort, 18082])
    if (!(await portFree(port))) console.error(`port ${port} still answers; the ${v.name} run will report it`)
  console.log(`\n== ${v.name}: ${v.what} ==`)
  const child = Bun.spawn([process.execPath, 'bench.ts', ...args], {
    cwd: work,
    env: {
      ...process.env,
      PROJECT_CMD: cmd,
      PROJECT_PREFIX: `http://127.0.0.1:${PORT}/proxy/${v.translated ? seed.translatedGroup : 'default'}`,
      PROJECT_KEY: v.accessKey ? seed.accessKey : clientKey,
      PROJECT_DIR: ROOT,
      PROJECT_READY_MS: '60000',
    },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  const code = await child.exited
  node.cleanup()
  return code
}

let exit = 0
if (runMain) {
  const targets = flag('targets') ? [] : ['--targets=direct,nginx,bun-raw,go-raw,portkey,project']
  exit = await harness(VARIANTS[0]!, [...targets, ...harnessArgs])
}

interface Row { target: string; ok: boolean; error?: string; wrk: Record<string, { rps: number; p99_ms: number | null; non2xx: number; socket_errors: number }>; sse: Record<string, { ttfb_p99_ms?: number; lost?: number; failed?: number }> }
interface Run { meta: { date: string; config: { conns: number[]; sse: number[]; duration: number } }; results: Row[] }
const runs = new Map<VariantName, Run | null>()
for (const name of chosen) {
  const v = VARIANTS.find((x) => x.name === name)!
  const out = join(work, 'results', `variant-${v.name}.json`)
  rmSync(out, { force: true })
  const code = await harness(v, ['--targets=bun-raw,project', `--out=${out}`, ...variantArgs])
  if (code !== 0) exit = exit || code
  runs.set(v.name, existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Run) : null)
}

if (chosen.length) {
  const table = variantTable()
  writeFileSync(join(work, 'results', 'variants.md'), `${table}\n`)
  console.log(`\nkeypool variants (one harness run each: bun-raw and keypool, ${variantArgs.join(' ') || 'default flags'}):\n${table}`)
}
if (pairRounds > 0) {
  const { benchPairs, pairTable } = await import('./bench-pairs')
  const o = { harnessDir: work, rounds: pairRounds, seconds: raw.includes('--quick') ? 3 : 5, conns: 50, redisDsn }
  for (const port of [PORT, Number(new URL(upstream).port)]) await portFree(port)
  try {
    const table = pairTable(await benchPairs(o), o)
    writeFileSync(join(work, 'results', 'pairs.md'), `${table}\n`)
    console.log(`\naccess key vs proxy key, paired runs on one process:\n${table}`)
  } catch (err) {
    console.error(`paired runs failed: ${String(err)}`)
    exit = exit || 1
  }
}
process.exit(exit)

function variantTable(): string {
  const any = [...runs.values()].find((r) => r)
  if (!any) return 'no variant run produced results'
  const conns = any.meta.config.conns
  const [c1, cMax] = [Math.min(...conns), Math.max(...conns)]
  const kMax = Math.max(...any.meta.config.sse)
  const row = (n: VariantName, target: string) => runs.get(n)?.results.find((r) => r.target === target && r.ok)
  const rps = (n: VariantName, c: number, target = 'project') => row(n, target)?.wrk[c]?.rps
  const x = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(3)}×` : '-')
  const head = ['variant', 'what', `rps@${c1}`, `rps@${cMax}`, `p99@${cMax} ms`, 'errors', `sse ttfb p99@${kMax} ms`, 'sse loss',
    `bun-raw rps@${cMax}`, `vs bun-raw @${cMax}`, 'reference', `vs ref @${c1}`, `vs ref @${cMax}`, `vs ref @${cMax} (per bun-raw)`, 'aim']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const name of chosen as VariantName[]) {
    const v = VARIANTS.find((y) => y.name === name)!
    const r = row(name, 'project')
    if (!r) {
      const failed = runs.get(name)?.results.find((y) => y.target === 'project')
      lines.push(`| ${name} | ${v.what} | FAILED: ${String(failed?.error ?? 'no results').replace(/\|/g, '/').slice(0, 160)} |`)
      continue
    }
    const errors = conns.reduce((a, c) => a + (r.wrk[c]?.non2xx ?? 0) + (r.wrk[c]?.socket_errors ?? 0), 0)
    const lost = Object.values(r.sse).reduce((a, s) => a + (s.lost ?? 0), 0)
    const failedStreams = Object.values(r.sse).reduce((a, s) => a + (s.failed ?? 0), 0)
    const ref = v.reference
    const ratios = ref ? [rps(name, c1)! / (rps(ref, c1) ?? NaN), rps(name, cMax)! / (rps(ref, cMax) ?? NaN)] : []
    const perBunRaw = ref ? (rps(name, cMax)! / (rps(name, cMax, 'bun-raw') ?? NaN)) / (rps(ref, cMax)! / (rps(ref, cMax, 'bun-raw') ?? NaN)) : NaN
    const aim = v.aim === undefined ? '-' : ratios.some((q) => !Number.isFinite(q)) ? `≥ ${v.aim}×: no reference` : `≥ ${v.aim}×: ${ratios.every((q) => q >= v.aim!) ? 'met' : 'missed'}`
    lines.push(`| ${[name, v.what, rps(name, c1) ?? '-', rps(name, cMax) ?? '-', r.wrk[cMax]?.p99_ms?.toFixed(2) ?? '-', errors,
      r.sse[kMax]?.ttfb_p99_ms?.toFixed(1) ?? '-', lost || failedStreams ? `${lost} chunks, ${failedStreams} streams` : '0',
      rps(name, cMax, 'bun-raw') ?? '-', x(rps(name, cMax), rps(name, cMax, 'bun-raw')), ref ?? '-',
      ref ? x(rps(name, c1), rps(ref, c1)) : '-', ref ? x(rps(name, cMax), rps(ref, cMax)) : '-',
      Number.isFinite(perBunRaw) ? `${perBunRaw.toFixed(3)}×` : '-', aim].join(' | ')} |`)
  }
  return lines.join('\n')
}
