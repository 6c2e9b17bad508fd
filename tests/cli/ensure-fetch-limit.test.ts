import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const entry = join(import.meta.dir, 'fixtures/fetch-limit-entry.ts')
let dir = ''
let binary = ''

/** Env of the test process without the variable, so the compiled binary must add it itself. */
function envWithout(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'BUN_CONFIG_MAX_HTTP_REQUESTS') env[k] = v
  return env
}

/** Reads a child's output until `marker` appears (null: until the end). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string | null): Promise<string> {
  let out = ''
  while (marker === null || !out.includes(marker)) {
    const { value, done } = await reader.read()
    if (done) break
    out += new TextDecoder().decode(value)
  }
  return out
}

async function run(cmd: string[], env = envWithout()) {
  const proc = Bun.spawn(cmd, { env, stdout: 'pipe', stderr: 'pipe' })
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited])
  return { out, code, pid: proc.pid }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-fetch-limit-'))
  binary = join(dir, 'entry')
  const built = await Bun.build({ entrypoints: [entry], compile: { outfile: binary } })
  if (!built.success) throw new AggregateError(built.logs, 'compile failed')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ensureFetchLimit in a compiled binary', () => {
  test('replaces itself (same pid, no second process) with the variable and the same arguments', async () => {
    const { out, code, pid } = await run([binary, 'exit', '0', 'two words'])
    expect(JSON.parse(out.trim())).toEqual({ limit: '16384', pid, args: ['exit', '0', 'two words'] })
    expect(code).toBe(0)
  })

  test('keeps a variable that is already set', async () => {
    const { out, pid } = await run([binary, 'exit', '0'], { ...envWithout(), BUN_CONFIG_MAX_HTTP_REQUESTS: '99' })
    expect(JSON.parse(out.trim())).toEqual({ limit: '99', pid, args: ['exit', '0'] })
  })

  test('exits with the exit code of the program it became', async () => {
    expect((await run([binary, 'exit', '5'])).code).toBe(5)
  })

  test('SIGTERM reaches the program it became', async () => {
    const proc = Bun.spawn([binary, 'wait'], { env: envWithout(), stdout: 'pipe' })
    const reader = proc.stdout.getReader()
    let out = await readUntil(reader, 'ready')
    expect(JSON.parse(out.split('\n')[0]!)).toEqual({ limit: '16384', pid: proc.pid, args: ['wait'] })
    proc.kill('SIGTERM')
    out += await readUntil(reader, null)
    expect(out).toContain('got SIGTERM')
    expect(await proc.exited).toBe(7)
  })
})

describe('without execve (Windows): a parent that runs the program again as its child', () => {
  const fallback = () => ({ ...envWithout(), FETCH_LIMIT_NO_EXECVE: '1' })

  test("runs the child with the variable and the same arguments, exits with the child's code", async () => {
    const { out, code, pid } = await run([binary, 'exit', '4', 'two words'], fallback())
    const seen = JSON.parse(out.trim()) as { limit: string; pid: number; args: string[] }
    expect(seen).toEqual({ limit: '16384', pid: seen.pid, args: ['exit', '4', 'two words'] })
    expect(seen.pid).not.toBe(pid)
    expect(code).toBe(4)
  })

  test('forwards SIGTERM to the child', async () => {
    const proc = Bun.spawn([binary, 'wait'], { env: fallback(), stdout: 'pipe' })
    const reader = proc.stdout.getReader()
    let out = await readUntil(reader, 'ready')
    proc.kill('SIGTERM')
    out += await readUntil(reader, null)
    expect(out).toContain('got SIGTERM')
    expect(await proc.exited).toBe(7)
  })

  test('the child stops (as on SIGTERM) when its parent is killed with SIGKILL', async () => {
    // stderr ignored: a child left behind (the bug) must not hold the test runner's output open.
    const proc = Bun.spawn([binary, 'wait'], { env: fallback(), stdout: 'pipe', stderr: 'ignore' })
    const reader = proc.stdout.getReader()
    let out = await readUntil(reader, 'ready')
    const child = (JSON.parse(out.split('\n')[0]!) as { pid: number }).pid
    try {
      proc.kill('SIGKILL')
      // The orphan still holds the pipe: it ends when the child exits.
      out += await readUntil(reader, null)
      expect(out).toContain('got SIGTERM')
    } finally {
      try {
        process.kill(child, 'SIGKILL')
      } catch {
        // already gone, as it should be
      }
    }
  })
})

test('from source (`bun server/main.ts`) it replaces itself with the script and the variable too', async () => {
  const { out, pid, code } = await run([process.execPath, entry, 'exit', '3'])
  expect(JSON.parse(out.trim())).toEqual({ limit: '16384', pid, args: ['exit', '3'] })
  expect(code).toBe(3)
})

test('from source with the variable already set: runs in place', async () => {
  const { out, pid } = await run([process.execPath, entry, 'exit', '0'], { ...envWithout(), BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' })
  expect(JSON.parse(out.trim())).toEqual({ limit: '4096', pid, args: ['exit', '0'] })
})
