/**
 * Builds the variables `loadEnv` reads: the .env file (`--config <path>`, else ./.env when present), then the
 * process environment over it, then the command-line flags over both. The compiled binary is built with .env
 * autoloading off so this one place decides precedence and `--config` really replaces ./.env.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../config/env'
import { parseDotenv } from '../config/dotenv'

export type EnvSource = Record<string, string | undefined>

export interface EnvSourceOptions {
  configFile?: string
  envOverrides: Record<string, string>
}

function readConfigFile(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ConfigError(`--config ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

export function resolveEnvSource(opts: EnvSourceOptions, processEnv: EnvSource, cwd = process.cwd()): EnvSource {
  const defaultFile = join(cwd, '.env')
  const fileVars =
    opts.configFile !== undefined
      ? readConfigFile(opts.configFile)
      : existsSync(defaultFile)
        ? readConfigFile(defaultFile)
        : {}
  const merged: EnvSource = { ...fileVars }
  for (const [name, value] of Object.entries(processEnv)) if (value !== undefined) merged[name] = value
  return { ...merged, ...opts.envOverrides }
}
