/**
 * scripts/keypool-reload.sh, the unit's ExecReload, run as systemd runs it (the unit's environment, $MAINPID as its
 * argument) against real keypool processes; systemd-notify is a stand-in on PATH that records what it was told.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { freePort, nodeEnv, spawnNode } from '../support/spawn-node'

const SCRIPT = join(import.meta.dir, '../../scripts/keypool-reload.sh')
const ROOT = join(import.meta.dir, '../..')
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-reload-'))
  // the "binary": this checkout's server, exec'd so its pid is the one the script started
  writeFileSync(join(dir, 'keypool'), `#!/bin/sh\ncd ${ROOT}\nexec ${process.execPath} server/main.ts "$@" >>${join(dir, 'new.log')} 2>&1\n`)
  writeFileSync(join(dir, 'systemd-notify'), `#!/bin/sh\necho "$@" >> ${join(dir, 'notified')}\n`)
  chmodSync(join(dir, 'keypool'), 0o755)
  chmodSync(join(dir, 'systemd-notify'), 0o755)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function unitEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { PORT: String(port), REUSE_PORT: 'true', DATA_DIR: dir, AUTH_KEY: 'reload-test-key-123', ...extra }
}

async function runReload(oldPid: number, env: Record<string, string>) {
  const proc = Bun.spawn(['sh', SCRIPT, String(oldPid)], {
    env: nodeEnv({ ...env, PATH: `${dir}:${process.env.PATH}`, KEYPOOL_BIN: join(dir, 'keypool'), NOTIFY_SOCKET: '/run/fake-notify' }),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text(), await proc.exited]
  return { out, err, code }
}

test.if(process.platform === 'linux')('reload starts a new process on the port, names it MAINPID and stops the old one', async () => {
  const port = await freePort()
  await using old = await spawnNode(unitEnv(port))
  const r = await runReload(old.proc.pid, unitEnv(port))
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' })
  const newPid = Number(/process (\d+) took port/.exec(r.out)?.[1])
  expect(newPid).toBeGreaterThan(0)
  try {
    expect(readFileSync(join(dir, 'notified'), 'utf8')).toBe(`MAINPID=${newPid}\n`)
    // the old one drains and exits 0; the port still answers, from the new one
    expect(await old.proc.exited).toBe(0)
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(health.status).toBe(200)
  } finally {
    process.kill(newPid, 'SIGTERM')
  }
})

test.if(process.platform === 'linux')('a new process that cannot start leaves the old one serving', async () => {
  const port = await freePort()
  await using old = await spawnNode(unitEnv(port))
  // a configuration error in the new process (as after a bad edit of keypool.env)
  const r = await runReload(old.proc.pid, unitEnv(port, { PORT: String(port), MAX_CONCURRENT_REQUESTS: 'lots' }))
  expect(r.code).toBe(1)
  expect(r.err).toContain('keeps serving')
  expect(old.proc.exitCode).toBeNull()
  expect((await fetch(`${old.url}/health`)).status).toBe(200)
})

test('without REUSE_PORT the script refuses and points to restart', async () => {
  const r = await runReload(process.pid, { PORT: '1' })
  expect(r.code).toBe(1)
  expect(r.err).toContain('systemctl restart')
})
