/**
 * `bun run bench`: copies ../shared/bench (which may be read-only) into the git-ignored .bench/ and runs it
 * against keypool in quick mode next to direct, nginx, a raw Bun proxy and Portkey. Extra arguments go to
 * bench.ts (`bun run bench -- --quick`, `--targets=bun-raw,project`).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ensureDeps, ROOT } from './ensure-deps'

ensureDeps()
const { benchPool } = await import('./bench-pool')
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

const missing = ['wrk', 'nginx'].filter((b) => Bun.spawnSync(['sh', '-c', `command -v ${b} || test -x /usr/sbin/${b}`]).exitCode !== 0)
if (missing.length) {
  console.error(`installing ${missing.join(', ')} for the benchmark (apt-get)`)
  Bun.spawnSync(['sh', '-c', `apt-get update -qq && apt-get install -y -qq ${missing.join(' ')}`], { stdout: 'inherit', stderr: 'inherit' })
}

// keypool in quick mode against the bench's mock: a pool of keys the mock accepts, logs batched as by default
const data = mkdtempSync(join(tmpdir(), 'keypool-bench-'))
const keysFile = join(data, 'keys.txt')
writeFileSync(keysFile, Array.from({ length: 100 }, (_, i) => `sk-bench-pool-${i}`).join('\n'))
const clientKey = 'sk-bench-client-of-keypool'
const cmd = [
  `DATA_DIR=${data}`,
  `KEYS_FILE=${keysFile}`,
  'OPENAI_BASE_URL=$UPSTREAM_URL',
  `AUTH_KEY=${clientKey}`,
  'PORT=3001 HOST=127.0.0.1 LOG_LEVEL=warn MAX_CONCURRENT_REQUESTS=20000',
  // as users run it: `bun start`, one process that sets BUN_CONFIG_MAX_HTTP_REQUESTS for itself
  `exec ${process.execPath} start`,
].join(' ')
const args = process.argv.slice(2)
const targets = args.some((a) => a.startsWith('--targets')) ? [] : ['--targets=direct,nginx,bun-raw,portkey,project']
const child = Bun.spawn([process.execPath, 'bench.ts', ...targets, ...args], {
  cwd: work,
  env: {
    ...process.env,
    PROJECT_CMD: cmd,
    PROJECT_PREFIX: 'http://127.0.0.1:3001/proxy/default',
    PROJECT_KEY: clientKey,
    PROJECT_DIR: ROOT,
    PROJECT_READY_MS: '60000',
  },
  stdio: ['inherit', 'inherit', 'inherit'],
})
const code = await child.exited
rmSync(data, { recursive: true, force: true })
process.exit(code)
