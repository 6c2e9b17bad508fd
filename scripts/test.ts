/**
 * `bun run test`: every test (unit, integration, cluster on the machine's PostgreSQL and Redis, browser).
 * Prints a closing `N passed, N failed` line that CI reads. Extra arguments go to `bun test` (a path filter…).
 */
import { ensureDeps, ROOT } from './ensure-deps'

ensureDeps()
const env = {
  TEST_PG_URL: 'postgres://postgres@127.0.0.1:5432/test',
  TEST_REDIS_URL: 'redis://127.0.0.1:6379',
  BUN_CONFIG_MAX_HTTP_REQUESTS: '16384',
  ...process.env,
}
const child = Bun.spawn([process.execPath, 'test', '--timeout=30000', ...process.argv.slice(2)], {
  cwd: ROOT,
  env,
  stdout: 'pipe',
  stderr: 'pipe',
  stdin: 'ignore',
})
let passed = 0
let failed = 0
async function tee(stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream) {
  const decoder = new TextDecoder()
  let tail = ''
  for await (const chunk of stream) {
    out.write(chunk)
    tail += decoder.decode(chunk, { stream: true })
    const lines = tail.split('\n')
    tail = lines.pop() ?? ''
    for (const line of lines) {
      const m = /^\s*(\d+) (pass|fail)\s*$/.exec(line)
      if (m) m[2] === 'pass' ? (passed = Number(m[1])) : (failed = Number(m[1]))
    }
  }
}
await Promise.all([tee(child.stdout, process.stdout), tee(child.stderr, process.stderr)])
const code = await child.exited
if (code !== 0 && failed === 0) failed = 1 // the runner itself failed (a file that did not load, a crash)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(code === 0 && passed > 0 ? 0 : code || 1)
