/**
 * Static configuration, read once at start from the environment (and a `.env` file, see dotenv.ts).
 * GPT-Load's names and defaults. A bad value stops start-up with an error that names the variable.
 */
import { parseCidr } from '../shared/client-address'

export class ConfigError extends Error {}

export interface Env {
  port: number
  host: string
  serverReadTimeout: number
  serverWriteTimeout: number
  serverIdleTimeout: number
  gracefulShutdownTimeout: number
  /** SO_REUSEPORT on the listener: a new process can take the port over while this one drains (docs/cluster.md) */
  reusePort: boolean
  isSlave: boolean
  /** undefined = generate one in the data dir on first start */
  authKey: string | undefined
  encryptionKey: string | undefined
  dataDir: string
  databaseDsn: string
  redisDsn: string | undefined
  /** namespace of every Redis key and channel (several clusters, or tests, on one Redis) */
  redisKeyPrefix: string
  /** leader lease time for leader-only jobs (a dead leader is replaced within it) */
  leaderLeaseMs: number
  maxConcurrentRequests: number
  /** the in-process response cache's bound in MiB (a cluster keeps the cache in Redis instead) */
  cacheMaxMb: number
  /** CIDRs of reverse proxies whose X-Forwarded-For / X-Real-IP are believed (server/shared/client-address.ts) */
  trustedProxies: string[]
  enableCors: boolean
  allowedOrigins: string[]
  allowedMethods: string[]
  allowedHeaders: string[]
  allowCredentials: boolean
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  logFormat: 'text' | 'json'
  logEnableFile: boolean
  logFilePath: string
  /** quick mode (GPT-Load's first generation) */
  keysFile: string | undefined
  openaiBaseUrl: string[]
  startIndex: number
  blacklistThreshold: number | undefined
  maxRetries: number | undefined
}

type Source = Record<string, string | undefined>

function str(src: Source, name: string): string | undefined {
  const v = src[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

function int(src: Source, name: string, def: number, min: number, max: number): number {
  const v = str(src, name)
  if (v === undefined) return def
  if (!/^-?\d+$/.test(v)) throw new ConfigError(`${name} must be an integer, got "${v}"`)
  const n = Number(v)
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`)
  return n
}

function optInt(src: Source, name: string, min: number, max: number): number | undefined {
  return str(src, name) === undefined ? undefined : int(src, name, 0, min, max)
}

function bool(src: Source, name: string, def: boolean): boolean {
  const v = str(src, name)?.toLowerCase()
  if (v === undefined) return def
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  throw new ConfigError(`${name} must be true or false, got "${v}"`)
}

function oneOf<T extends string>(src: Source, name: string, allowed: readonly T[], def: T): T {
  const v = str(src, name)?.toLowerCase()
  if (v === undefined) return def
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${v}"`)
  return v as T
}

function list(src: Source, name: string, def: string[]): string[] {
  const v = str(src, name)
  return v === undefined ? def : v.split(',').map((s) => s.trim()).filter(Boolean)
}

function urls(src: Source, name: string): string[] {
  const out = list(src, name, [])
  for (const u of out) {
    let ok = false
    try {
      ok = ['http:', 'https:'].includes(new URL(u).protocol)
    } catch {}
    if (!ok) throw new ConfigError(`${name} must be comma-separated http(s) URLs, got "${u}"`)
  }
  return out
}

function cidrs(src: Source, name: string): string[] {
  const out = list(src, name, [])
  for (const c of out)
    if (parseCidr(c) === null) throw new ConfigError(`${name} must be comma-separated CIDRs (IPv4 or IPv6, e.g. 10.0.0.0/8,::1), got "${c}"`)
  return out
}

/** Warnings about values that work but are weak; printed at start-up. */
export function envWarnings(env: Env): string[] {
  const out: string[] = []
  if (env.authKey !== undefined && env.authKey.length < 16)
    out.push('AUTH_KEY is short: anyone who guesses it controls the gateway; use 16+ random characters')
  if (env.encryptionKey !== undefined && env.encryptionKey.length < 16)
    out.push('ENCRYPTION_KEY is short: use 16+ random characters for keys encrypted at rest')
  return out
}

export function loadEnv(src: Source): Env {
  const dataDir = str(src, 'DATA_DIR') ?? './data'
  const databaseDsn = str(src, 'DATABASE_DSN') ?? `${dataDir.replace(/\/+$/, '')}/keypool.db`
  // GPT-Load also takes MySQL (`user:pass@tcp(host:3306)/db`); read as a SQLite path it would silently start on an
  // empty file in a directory named after the DSN.
  if (/^mysql:\/\//i.test(databaseDsn) || /@(tcp|unix)\(/i.test(databaseDsn))
    throw new ConfigError('DATABASE_DSN: MySQL is not supported; use a SQLite file path or postgres://…')
  const redisDsn = str(src, 'REDIS_DSN')
  if (redisDsn && !/^rediss?:\/\//.test(redisDsn)) throw new ConfigError(`REDIS_DSN must start with redis:// or rediss://`)
  // Short keys are accepted (a GPT-Load .env must start unchanged); start-up logs and the dashboard warn about them.
  const encryptionKey = str(src, 'ENCRYPTION_KEY')
  const authKey = str(src, 'AUTH_KEY')
  const keysFile = str(src, 'KEYS_FILE')
  const openaiBaseUrl = urls(src, 'OPENAI_BASE_URL')
  if (keysFile && openaiBaseUrl.length === 0) throw new ConfigError('OPENAI_BASE_URL is required when KEYS_FILE is set')
  return {
    port: int(src, 'PORT', 3001, 0, 65535),
    host: str(src, 'HOST') ?? '0.0.0.0',
    serverReadTimeout: int(src, 'SERVER_READ_TIMEOUT', 60, 1, 86400),
    serverWriteTimeout: int(src, 'SERVER_WRITE_TIMEOUT', 600, 1, 86400),
    serverIdleTimeout: int(src, 'SERVER_IDLE_TIMEOUT', 120, 1, 86400),
    gracefulShutdownTimeout: int(src, 'SERVER_GRACEFUL_SHUTDOWN_TIMEOUT', 10, 0, 3600),
    reusePort: bool(src, 'REUSE_PORT', false),
    isSlave: bool(src, 'IS_SLAVE', false),
    authKey,
    encryptionKey,
    dataDir,
    databaseDsn,
    redisDsn,
    redisKeyPrefix: str(src, 'REDIS_KEY_PREFIX') ?? 'keypool:',
    leaderLeaseMs: int(src, 'LEADER_LEASE_SECONDS', 10, 1, 3600) * 1000,
    // 1000, not GPT-Load's 100: LLM streams last minutes, and 100 of them would refuse the 101st (measured: 1,000
    // open streams take one process to ~90 MB)
    maxConcurrentRequests: int(src, 'MAX_CONCURRENT_REQUESTS', 1000, 1, 1_000_000),
    cacheMaxMb: int(src, 'CACHE_MAX_MB', 64, 1, 1_048_576),
    trustedProxies: cidrs(src, 'TRUSTED_PROXIES'),
    enableCors: bool(src, 'ENABLE_CORS', false),
    allowedOrigins: list(src, 'ALLOWED_ORIGINS', ['*']),
    allowedMethods: list(src, 'ALLOWED_METHODS', ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']),
    allowedHeaders: list(src, 'ALLOWED_HEADERS', ['*']),
    allowCredentials: bool(src, 'ALLOW_CREDENTIALS', false),
    logLevel: oneOf(src, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    logFormat: oneOf(src, 'LOG_FORMAT', ['text', 'json'] as const, 'text'),
    logEnableFile: bool(src, 'LOG_ENABLE_FILE', false),
    logFilePath: str(src, 'LOG_FILE_PATH') ?? `${dataDir}/logs/app.log`,
    keysFile,
    openaiBaseUrl,
    startIndex: int(src, 'START_INDEX', 0, 0, 100_000_000),
    blacklistThreshold: optInt(src, 'BLACKLIST_THRESHOLD', 0, 1000),
    maxRetries: optInt(src, 'MAX_RETRIES', 0, 100),
  }
}
