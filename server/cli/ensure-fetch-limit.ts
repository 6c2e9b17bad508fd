/**
 * Bun's fetch keeps at most 256 upstream requests in flight unless BUN_CONFIG_MAX_HTTP_REQUESTS is in the
 * environment when the process starts; setting it later does nothing (measured; docs/architecture.md, "The
 * upstream client"). `bun start` and the systemd unit set it; a process started without it (the compiled binary,
 * or `bun server/main.ts`) runs itself again with it.
 */
import { constants } from 'node:os'

export const FETCH_LIMIT_VAR = 'BUN_CONFIG_MAX_HTTP_REQUESTS'
export const FETCH_LIMIT = '16384'
/** Set on the child: the pid of the parent that started it, so the child can tell when it is orphaned. */
export const PARENT_PID_VAR = 'KEYPOOL_PARENT_PID'
const PARENT_CHECK_MS = 500

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Returns false when this process may go on (the variable is already set). Otherwise runs the same program with
 * the same arguments plus the variable, forwards SIGINT/SIGTERM/SIGHUP to it, sets `process.exitCode` to its exit
 * code and returns true: the caller must then exit (`process.exit()`) without starting anything.
 */
export async function ensureFetchLimit(env: Record<string, string | undefined> = process.env): Promise<boolean> {
  if (env[FETCH_LIMIT_VAR] !== undefined) {
    stopWhenOrphaned(env)
    return false
  }
  // Inside `bun test` the "program" is a test file: never run it again.
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(Bun.main)) return false

  // Compiled: argv is ["bun", "/$bunfs/root/<name>", ...arguments] and the binary is the program.
  // From source: argv is [bun, "/path/server/main.ts", ...arguments] and bun runs the script again.
  const command = Bun.isStandaloneExecutable ? [process.execPath, ...process.argv.slice(2)] : [process.execPath, ...process.argv.slice(1)]
  const child = Bun.spawn(command, {
    env: { ...env, [FETCH_LIMIT_VAR]: FETCH_LIMIT, [PARENT_PID_VAR]: String(process.pid) },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = forward(signal)
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
 * In the child: when the parent that started it dies without forwarding a signal (`kill -9`, the OOM killer), stop
 * as if SIGTERM had come, instead of living on unseen with the port and the leader lease (no parent-death signal in
 * Bun, so poll the parent pid: an orphan is re-parented).
 */
function stopWhenOrphaned(env: Record<string, string | undefined>): void {
  const parent = Number(env[PARENT_PID_VAR])
  if (!Number.isInteger(parent) || parent <= 0) return
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
  }, PARENT_CHECK_MS)
  timer.unref?.()
}
