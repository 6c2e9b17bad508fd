/**
 * `bun start` runs as ONE process (no script runner, no launcher child) and, started without
 * BUN_CONFIG_MAX_HTTP_REQUESTS, still holds 1,000 upstream streams open at once: Bun's fetch would cap them at 256 in
 * flight if the variable were not in place when the server process started.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { freePort } from '../support/spawn-node'
import { expectOneProcessHolding } from '../support/hold-streams'

const ROOT = join(import.meta.dir, '../..')

test('`bun start` is one process and holds 1,000 streams open at once', async () => {
  await using upstream = await startFakeUpstream()
  const dir = mkdtempSync(join(tmpdir(), 'keypool-start-'))
  const port = await freePort()
  writeFileSync(join(dir, 'keys.txt'), Array.from({ length: 20 }, (_, i) => `sk-hang-${i}`).join('\n'))
  // Nothing inherited but PATH and HOME: in particular no BUN_CONFIG_MAX_HTTP_REQUESTS.
  const proc = Bun.spawn([process.execPath, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      AUTH_KEY: 'one-process-test-key',
      KEYS_FILE: join(dir, 'keys.txt'),
      OPENAI_BASE_URL: upstream.url,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  try {
    await expectOneProcessHolding('bun start', { proc, url: `http://127.0.0.1:${port}`, key: 'one-process-test-key', upstream })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
