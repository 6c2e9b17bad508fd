/**
 * Process exit codes of the keypool CLI (documented in `keypool --help`). Configuration errors are
 * `ConfigError` from server/config/env.ts (exit 3).
 */
export const EXIT = {
  ok: 0,
  /** the command ran and failed (server crash, unreachable database, group not found…) */
  runtime: 1,
  /** the command line itself is wrong: unknown flag, missing argument */
  usage: 2,
  /** the configuration (env, .env file, flags' values) is invalid */
  config: 3,
} as const

/** A command-line mistake; the message names the flag or argument at fault. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage
}

