import { expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadEnv } from '../../server/config/env'

const UNIT_PATH = join(import.meta.dir, '../../scripts/keypool.service')
const unitText = readFileSync(UNIT_PATH, 'utf8')

/** section -> key -> every value (systemd allows repeated keys such as Environment=). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {}
  let section = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[(.+)\]$/.exec(line)
    if (header) {
      section = header[1]!
      out[section] ??= {}
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0 || section === '') throw new Error(`not a unit line: ${line}`)
    const values = (out[section]![line.slice(0, eq)] ??= [])
    values.push(line.slice(eq + 1))
  }
  return out
}

test('the unit has the required service settings', () => {
  const unit = parseUnit(unitText)
  const service = unit.Service!
  const one = (key: string) => service[key]?.join('|')
  expect({
    User: one('User'),
    ExecStart: one('ExecStart'),
    WorkingDirectory: one('WorkingDirectory'),
    EnvironmentFile: one('EnvironmentFile'),
    Restart: one('Restart'),
    NoNewPrivileges: one('NoNewPrivileges'),
    ProtectSystem: one('ProtectSystem'),
    ProtectHome: one('ProtectHome'),
    PrivateTmp: one('PrivateTmp'),
    ReadWritePaths: one('ReadWritePaths'),
    KillSignal: one('KillSignal'),
    LimitNOFILE: one('LimitNOFILE'),
  }).toEqual({
    User: 'keypool',
    ExecStart: '/usr/local/bin/keypool',
    WorkingDirectory: '/var/lib/keypool',
    EnvironmentFile: '-/etc/keypool/keypool.env',
    Restart: 'on-failure',
    NoNewPrivileges: 'yes',
    ProtectSystem: 'strict',
    ProtectHome: 'yes',
    PrivateTmp: 'yes',
    ReadWritePaths: '/var/lib/keypool',
    KillSignal: 'SIGTERM',
    LimitNOFILE: '65535',
  })
  expect(service.Environment).toEqual(['DATA_DIR=/var/lib/keypool', 'BUN_CONFIG_MAX_HTTP_REQUESTS=16384', 'REUSE_PORT=true'])
  // `systemctl reload` is the takeover (scripts/keypool-reload.sh), which names the new main process
  expect([one('ExecReload'), one('NotifyAccess')]).toEqual(['/usr/local/bin/keypool-reload $MAINPID', 'all'])
  expect(unit.Install?.WantedBy).toEqual(['multi-user.target'])
})

test('systemd waits longer than the default graceful shutdown before SIGKILL', () => {
  const stopSec = Number(parseUnit(unitText).Service!.TimeoutStopSec![0])
  expect(stopSec).toBeGreaterThan(loadEnv({}).gracefulShutdownTimeout)
})

test.if(Bun.which('systemd-analyze') !== null)('systemd-analyze verify accepts the unit', () => {
  // verify checks that ExecStart exists; point it at a binary present on this machine.
  const dir = mkdtempSync(join(tmpdir(), 'keypool-unit-'))
  try {
    const copy = join(dir, 'keypool.service')
    writeFileSync(
      copy,
      unitText.replace(/^ExecStart=.*$/m, `ExecStart=${Bun.which('true')}`).replace(/^ExecReload=\S+/m, `ExecReload=${Bun.which('true')}`),
    )
    const r = Bun.spawnSync(['systemd-analyze', 'verify', copy], { stdout: 'pipe', stderr: 'pipe' })
    expect(r.stderr.toString() + r.stdout.toString()).toBe('')
    expect(r.exitCode).toBe(0)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
