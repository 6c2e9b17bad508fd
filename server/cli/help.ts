/** The text of `keypool --help`. Keep it in step with args.ts (tests/cli/help.test.ts checks every flag is listed). */
import { VERSION } from './version'

export function helpText(): string {
  return `keypool ${VERSION}: an AI API gateway over a managed pool of upstream keys

Usage:
  keypool [serve] [flags]                 start the gateway (default command)
  keypool keys import <group> <file>      add the keys in <file> (one per line, or separated by spaces, commas,
                                          semicolons, or a JSON array; "-" reads stdin) to group <group>
  keypool keys export <group> [--status active|cooling|invalid|disabled|all] [--out <file>]
                                          print the group's keys, one per line (default --status all; --out
                                          writes a file readable only by its owner)
  keypool migrate-keys --to-key <new key> encrypt the stored keys with a new ENCRYPTION_KEY (enables encryption,
                                          or rotates it; the current key is read from ENCRYPTION_KEY)
  keypool migrate-keys --disable          decrypt the stored keys (turns encryption at rest off)
  keypool import gpt-load --dsn <dsn> [--encryption-key <key>] [--with-logs]
                                          copy a GPT-Load 1.x database (SQLite path, postgres://…, or MySQL
                                          user:pass@tcp(host:3306)/db) into this store: groups, sub-groups, keys
                                          (decrypted with GPT-Load's ENCRYPTION_KEY given as --encryption-key or,
                                          out of sight of ps, in GPT_LOAD_ENCRYPTION_KEY),
                                          settings, proxy keys, and with --with-logs the request logs. Running it
                                          again adds only what is new (groups by name, keys by hash)
  keypool access-keys create <name> [--rpm <n>] [--tpm <n>] [--concurrency <n>] [--token-budget <n>]
          [--cost-budget <usd>] [--budget-period day|week|month|total] [--groups <a,b>] [--models <globs>]
          [--ip-allowlist <cidrs>] [--expires-at <iso date|epoch ms>] [--notes <text>]
                                          create an access key; stdout is its secret (kp-…), shown this once only
  keypool access-keys list                id, name, prefix, enabled, limits and groups of every access key
  keypool access-keys disable <name|id>   disable an access key (running nodes apply it after SIGHUP)
  keypool healthcheck                     GET http://127.0.0.1:$PORT/health; exit 0 when healthy, 1 otherwise
  keypool --help | -h                     this text
  keypool --version | -v                  version, commit, runtime and platform

Stop every keypool node before migrate-keys, then restart them with the new ENCRYPTION_KEY (or without one).

Flags (every command; a flag wins over the environment, which wins over the .env file):
  --port <n>              PORT                   listen port (default 3001)
  --host <addr>           HOST                   listen address (default 0.0.0.0)
  --data-dir <dir>        DATA_DIR               SQLite file and generated admin key (default ./data)
  --database-dsn <dsn>    DATABASE_DSN           SQLite path, or postgres://… for PostgreSQL
  --redis-dsn <dsn>       REDIS_DSN              redis://… to share the key pool between nodes
  --log-level <level>     LOG_LEVEL              debug|info|warn|error
  --config <file>         the .env file to read (default ./.env when present)

Environment (GPT-Load names):
  PORT HOST DATA_DIR DATABASE_DSN REDIS_DSN AUTH_KEY ENCRYPTION_KEY IS_SLAVE MAX_CONCURRENT_REQUESTS
  SERVER_READ_TIMEOUT SERVER_WRITE_TIMEOUT SERVER_IDLE_TIMEOUT SERVER_GRACEFUL_SHUTDOWN_TIMEOUT
  ENABLE_CORS ALLOWED_ORIGINS ALLOWED_METHODS ALLOWED_HEADERS ALLOW_CREDENTIALS
  LOG_LEVEL LOG_FORMAT LOG_ENABLE_FILE LOG_FILE_PATH TZ HTTP_PROXY HTTPS_PROXY NO_PROXY
  Cluster (keypool's own): REDIS_KEY_PREFIX (default keypool:) LEADER_LEASE_SECONDS (default 10)
  REUSE_PORT             true: share the port with a new keypool process that takes over while this one
                         drains (default false: a second node on a port in use fails to start)
  TRUSTED_PROXIES        CIDRs of reverse proxies (e.g. 127.0.0.1,10.0.0.0/8,::1; default none): only their
                         X-Forwarded-For / X-Real-IP name the client (login throttle, logs, \${CLIENT_IP})
  CACHE_MAX_MB           the in-process response cache's bound in MiB (default 64; groups turn the cache on
                         with cache_ttl_seconds; with REDIS_DSN the cache lives in Redis instead)
  Quick mode: KEYS_FILE OPENAI_BASE_URL START_INDEX BLACKLIST_THRESHOLD MAX_RETRIES
  When AUTH_KEY is unset the first start generates one and stores it in DATA_DIR.
  MAX_CONCURRENT_REQUESTS requests in flight at once, over it 429 (default 1000, not GPT-Load's 100: long
  LLM streams would fill 100)

Exit codes:
  0  success
  1  runtime error (server failure, database unreachable, group not found, unhealthy)
  2  usage error (unknown or malformed flag, missing argument)
  3  configuration error (invalid env value, unreadable --config file)
`
}
