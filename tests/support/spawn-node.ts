/**
 * A keypool node as its own process (`bun server/main.ts`), the way users run it: used where one process is not
 * enough (1,000 streams: `bun test` ignores BUN_CONFIG_MAX_HTTP_REQUESTS, so in-process fetch stays at 256 in
 * flight), for signals (SIGTERM drain, SIGKILL of a cluster leader) and for start-up behaviour.
 */
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '..', '..')

export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') })
  const port = s.port!
  s.stop(true)
  return port
}

export interface SpawnedNode {
  url: string
  port: number
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>
  output(): string
  /** SIGTERM and wait for exit; returns the exit code */
  stop(signal?: NodeJS.Signals): Promise<number>
  [Symbol.asyncDispose](): Promise<void>
}

/** The environment of a node process started by a test: nothing inherited but PATH and HOME, then `env`. */
export function nodeEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    BUN_CONFIG_MAX_HTTP_REQUESTS: '16384',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  }
}

export interface SpawnOptions {
  /**
   * Ready once the output matches this instead of once /health answers: a process taking a port over from another
   * (REUSE_PORT) cannot tell from /health, which the old one may still answer.
   */
  readyOutput?: RegExp
}

export async function spawnNode(env: Record<string, string>, args: string[] = [], opts: SpawnOptions = {}): Promise<SpawnedNode> {
  const port = env.PORT ? Number(env.PORT) : await freePort()
  const proc = Bun.spawn([process.execPath, join(ROOT, 'server/main.ts'), ...args], {
    cwd: ROOT,
    env: nodeEnv({ ...env, PORT: String(port) }),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let out = ''
  const collect = async (s: ReadableStream<Uint8Array>) => {
    for await (const c of s) out += new TextDecoder().decode(c)
  }
  void collect(proc.stdout)
  void collect(proc.stderr)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`node exited with ${proc.exitCode}:\n${out}`)
    const ok = opts.readyOutput ? opts.readyOutput.test(out) : await fetch(`${url}/health`).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`node did not become healthy:\n${out}`)
    }
    await Bun.sleep(50)
  }
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.exitCode === null) proc.kill(signal)
    return await proc.exited
  }
  return {
    url,
    port,
    proc,
    output: () => out,
    stop,
    async [Symbol.asyncDispose]() {
      if (proc.exitCode === null) {
        proc.kill('SIGKILL')
        await proc.exited
      }
    },
  }
}
