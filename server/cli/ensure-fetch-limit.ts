/**
 * Bun's fetch keeps at most 256 upstream requests in flight unless BUN_CONFIG_MAX_HTTP_REQUESTS is in the
 * environment when the process starts: Bun reads it once while booting, so setting `process.env` later does nothing
 * (measured). A process started without it (the compiled binary, `bun server/main.ts`) replaces itself with the
 * same program, the same arguments and the variable added: `process.execve`, the same pid, no second process.
 * Where execve is missing (Windows) it falls back to running the program again as a child and waiting for it.
 */
import { constants } from 'node:os'

export const FETCH_LIMIT_VAR = 'BUN_CONFIG_MAX_HTTP_REQUESTS'
/** Bun reads the value as 16 bits: 65536 and above silently mean the default again. */
export const FETCH_LIMIT = '16384'
/** Set on a fallback child: the pid of the parent that started it, so the child can tell when it is orphaned. */
export const PARENT_PID_VAR = 'KEYPOOL_PARENT_PID'
const PARENT_CHECK_MS = 500

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

type Env = Record<string, string | undefined>
export type Execve = (file: string, args: string[], env: Record<string, string>) => never

/** What this process runs again: argv[0] first, then Bun's own flags and the script (from source) and the arguments. */
export function sameProgram(): string[] {
  // Compiled: argv is ["bun", "/$bunfs/root/<name>", ...arguments], the binary is the program and its embedded
  // exec argv comes back by itself. From source: argv is [bun, "/path/server/main.ts", ...arguments].
  if (Bun.isStandaloneExecutable) return [process.execPath, ...process.argv.slice(2)]
  return [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
}

/** The platform's execve, or null where there is none (Windows). */
export function platformExecve(): Execve | null {
  if (process.platform === 'win32' || typeof process.execve !== 'function') return null
  return process.execve.bind(process) as Execve
}

/** `env` with the fetch limit added (kept when already set) and no undefined values, for a process to start with. */
export function withFetchLimit(env: Env, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  out[FETCH_LIMIT_VAR] ??= FETCH_LIMIT
  return { ...out, ...extra }
}

/**
 * Returns false when this process may go on (the variable is already set, or inside `bun test`). Otherwise it
 * replaces the process (execve: does not return), or, without execve, runs the program again as a child with the
 * variable, forwards SIGINT/SIGTERM/SIGHUP to it, sets `process.exitCode` to its exit code and returns true: the
 * caller must then exit without starting anything.
 */
export async function ensureFetchLimit(env: Env = process.env, execve: Execve | null = platformExecve()): Promise<boolean> {
  if (env[FETCH_LIMIT_VAR] !== undefined) {
    stopWhenOrphaned(env)
    return false
  }
  // Inside `bun test` the "program" is a test file: never run it again.
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(Bun.main)) return false
  const command = sameProgram()
  if (execve) execve(command[0]!, command, withFetchLimit(env))
  return await runAsChild(command, env)
}

async function runAsChild(command: string[], env: Env): Promise<boolean> {
  const child = Bun.spawn(command, {
    env: withFetchLimit(env, { [PARENT_PID_VAR]: String(process.pid) }),
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => child.kill(signal)
    try {
      process.on(signal, handler)
    } catch {
      // Windows has no SIGHUP listener support everywhere; the other two are enough there.
    }
    return [signal, handler] as const
  })
  const code = await child.exited
  for (const [signal, handler] of handlers) process.off(signal, handler)
  // Shell convention for "killed by signal N": 128 + N.
  const signal = child.signalCode
  if (signal === null) process.exitCode = code
  else process.exitCode = 128 + (typeof signal === 'number' ? signal : constants.signals[signal])
  return true
}

/**
 * In a fallback child: when the parent that started it dies without forwarding a signal (`kill -9`, the OOM
 * killer), stop as if SIGTERM had come, instead of living on unseen with the port and the leader lease (no
 * parent-death signal in Bun, so poll the parent pid: an orphan is re-parented).
 */
function stopWhenOrphaned(env: Env): void {
  const parent = Number(env[PARENT_PID_VAR])
  if (!Number.isInteger(parent) || parent <= 0) return
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
  }, PARENT_CHECK_MS)
  timer.unref?.()
}
