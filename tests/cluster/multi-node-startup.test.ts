/**
 * A node pointed at a database or Redis it cannot reach stops at start-up with exit code 1 (runtime) or 3
 * (configuration) and a message naming the variable at fault, instead of hanging or serving half a cluster.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, nodeEnv } from '../support/spawn-node'
import { AUTH } from './support/cluster'
import { createTestDatabase, REDIS_URL, servicesUp, type TestDatabase } from './support/services'

// bun 1.4.4 does not read bunfig's test timeout; spawning nodes (and Redis's first-connect window) needs more than 5 s
setDefaultTimeout(30_000)

const ROOT = join(import.meta.dir, '..', '..')

/** Runs a node to its exit; returns the exit code and everything it printed. */
async function runNode(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'keypool-start-'))
  try {
    const proc = Bun.spawn([process.execPath, join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env: nodeEnv({ PORT: String(await freePort()), DATA_DIR: dir, AUTH_KEY: AUTH, LOG_LEVEL: 'error', ...env }),
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()])
    return { code, output: out + err }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe.skipIf(!servicesUp)('start-up against unreachable services', () => {
  let db: TestDatabase
  // a port nothing listens on: connections are refused at once
  let closedPort: number
  beforeAll(async () => {
    db = await createTestDatabase()
    closedPort = await freePort()
  })
  afterAll(async () => {
    await db?.drop()
  })

  test('wrong DATABASE_DSN or REDIS_DSN: exit 1 or 3 and a message naming the variable, password masked', async () => {
    const cases = {
      unreachableDb: { DATABASE_DSN: `postgres://postgres:s3cret-pw@127.0.0.1:${closedPort}/keypool`, REDIS_DSN: REDIS_URL },
      missingDb: { DATABASE_DSN: `${db.dsn}_missing`, REDIS_DSN: REDIS_URL },
      unreachableRedis: { DATABASE_DSN: db.dsn, REDIS_DSN: `redis://:s3cret-pw@127.0.0.1:${closedPort}` },
      malformedRedis: { DATABASE_DSN: db.dsn, REDIS_DSN: 'not a redis url' },
    }
    // in parallel: the Redis cases retry for the first-connect window before giving up
    const results = await Promise.all(Object.values(cases).map((env) => runNode(env)))
    const byCase = Object.fromEntries(Object.keys(cases).map((name, i) => [name, results[i]!]))
    for (const [name, { code, output }] of Object.entries(byCase)) {
      const variable = name.endsWith('Db') ? 'DATABASE_DSN' : 'REDIS_DSN'
      expect({ name, exitedWith13: code === 1 || code === 3, names: output.includes(variable), leaks: output.includes('s3cret-pw') })
        .toEqual({ name, exitedWith13: true, names: true, leaks: false })
    }
  })
})

if (!servicesUp) test.skip('start-up failures (PostgreSQL or Redis unreachable)', () => {})
