import { describe, expect, test } from 'bun:test'
import { ConfigError, envWarnings, loadEnv } from '../../server/config/env'
import { parseDotenv } from '../../server/config/dotenv'

describe('static config', () => {
  test('GPT-Load names and defaults', () => {
    const env = loadEnv({})
    expect(env).toMatchObject({
      port: 3001,
      host: '0.0.0.0',
      serverReadTimeout: 60,
      serverWriteTimeout: 600,
      serverIdleTimeout: 120,
      gracefulShutdownTimeout: 10,
      isSlave: false,
      authKey: undefined,
      dataDir: './data',
      databaseDsn: './data/keypool.db',
      redisDsn: undefined,
      // not GPT-Load's 100: LLM streams are long, 100 of them would refuse the 101st
      maxConcurrentRequests: 1000,
      enableCors: false,
      logLevel: 'info',
      logFormat: 'text',
    })
  })

  test.each([
    ['PORT', 'abc', /PORT must be an integer/],
    ['PORT', '70000', /PORT must be between/],
    ['MAX_CONCURRENT_REQUESTS', '0', /MAX_CONCURRENT_REQUESTS/],
    ['IS_SLAVE', 'maybe', /IS_SLAVE must be true or false/],
    ['REUSE_PORT', 'yes please', /REUSE_PORT must be true or false/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT/],
    ['REDIS_DSN', 'localhost:6379', /REDIS_DSN must start with redis:\/\//],
    ['SERVER_GRACEFUL_SHUTDOWN_TIMEOUT', '-1', /SERVER_GRACEFUL_SHUTDOWN_TIMEOUT/],
    // GPT-Load's MySQL DSNs: refused rather than read as a SQLite file path
    ['DATABASE_DSN', 'root:123456@tcp(mysql:3306)/gpt-load?charset=utf8mb4', /DATABASE_DSN: MySQL is not supported/],
    ['DATABASE_DSN', 'mysql://root:pw@db:3306/gpt-load', /DATABASE_DSN: MySQL is not supported/],
    ['TRUSTED_PROXIES', '10.0.0.0/8,nginx', /TRUSTED_PROXIES must be comma-separated CIDRs/],
    ['TRUSTED_PROXIES', '10.0.0.0/40', /TRUSTED_PROXIES must be comma-separated CIDRs/],
    ['CACHE_MAX_MB', '0', /CACHE_MAX_MB must be between 1 and/],
    ['CACHE_MAX_MB', '64MB', /CACHE_MAX_MB must be an integer/],
  ])('%s=%s stops start-up naming the variable', (name, value, message) => {
    expect(() => loadEnv({ [name]: value })).toThrow(ConfigError)
    expect(() => loadEnv({ [name]: value })).toThrow(message)
  })

  test('REUSE_PORT: off unless asked for', () => {
    expect([loadEnv({}).reusePort, loadEnv({ REUSE_PORT: 'true' }).reusePort]).toEqual([false, true])
  })

  test('TRUSTED_PROXIES: CIDRs of both families, default none', () => {
    expect(loadEnv({}).trustedProxies).toEqual([])
    expect(loadEnv({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'])
  })

  test('CACHE_MAX_MB: the response cache bound in MiB, default 64', () => {
    expect(loadEnv({}).cacheMaxMb).toBe(64)
    expect(loadEnv({ CACHE_MAX_MB: '512' }).cacheMaxMb).toBe(512)
  })

  test('quick mode needs OPENAI_BASE_URL with http(s) URLs', () => {
    expect(() => loadEnv({ KEYS_FILE: 'keys.txt' })).toThrow(/OPENAI_BASE_URL is required/)
    expect(() => loadEnv({ KEYS_FILE: 'k', OPENAI_BASE_URL: 'ftp://x' })).toThrow(/OPENAI_BASE_URL must be/)
    expect(loadEnv({ KEYS_FILE: 'k', OPENAI_BASE_URL: 'https://a.example, https://b.example' }).openaiBaseUrl).toEqual([
      'https://a.example',
      'https://b.example',
    ])
  })

  test('DATA_DIR moves the default database', () => {
    expect(loadEnv({ DATA_DIR: '/var/lib/keypool/' }).databaseDsn).toBe('/var/lib/keypool/keypool.db')
  })

  test('.env parsing: comments, quotes, export', () => {
    expect(parseDotenv('# c\nA=1\nexport B="two words"\nC=\'x#y\'\nD=v # note\n\nbad line')).toEqual({ A: '1', B: 'two words', C: 'x#y', D: 'v' })
  })

  test('short AUTH_KEY / ENCRYPTION_KEY from a GPT-Load .env start, with a warning', () => {
    const env = loadEnv({ AUTH_KEY: 'sk-123456', ENCRYPTION_KEY: 'short' })
    expect(env.authKey).toBe('sk-123456')
    expect(envWarnings(env)).toEqual([
      expect.stringContaining('AUTH_KEY is short'),
      expect.stringContaining('ENCRYPTION_KEY is short'),
    ])
    expect(envWarnings(loadEnv({ AUTH_KEY: 'a-long-and-random-admin-key' }))).toEqual([])
  })
})
