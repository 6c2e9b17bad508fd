/**
 * A real nginx in front of a test server: its own temp prefix (config, pid, logs, temp dirs), `daemon off`, on a
 * free high port, proxying everything to `target` and setting X-Forwarded-For / X-Real-IP as operators do.
 * Missing nginx skips the tests that need it on a developer machine and fails them in CI.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './spawn-node'

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? Bun.which('nginx')
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

/** true when nginx tests can run; throws in CI when nginx is missing. */
export function nginxAvailable(): boolean {
  if (NGINX) return true
  if (IN_CI) throw new Error('CI=true but nginx is missing: apt-get install -y nginx')
  console.warn('nginx not found: skipping the tests that put keypool behind nginx (apt-get install nginx)')
  return false
}

export interface Nginx {
  url: string
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export interface NginxOptions {
  /**
   * Idle connections nginx keeps open to `target` (an `upstream` block with `keepalive`, HTTP/1.1 to the node), as
   * operators configure it; nginx then reuses them across requests. Default: none (a connection per request).
   */
  keepalive?: number
}

export async function startNginx(target: string, opts: NginxOptions = {}): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'keypool-nginx-'))
  const port = await freePort()
  const conf = join(dir, 'nginx.conf')
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${join(dir, k)};`).join('\n  ')
  writeFileSync(
    conf,
    `daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  ${temp}
  ${opts.keepalive ? `upstream node { server ${new URL(target).host}; keepalive ${opts.keepalive}; }` : ''}
  server {
    listen 127.0.0.1:${port};
    location / {
      ${opts.keepalive ? 'proxy_http_version 1.1;\n      proxy_set_header Connection "";' : ''}
      proxy_pass ${opts.keepalive ? 'http://node' : target};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP $remote_addr;
    }
  }
}
`,
  )
  const proc = Bun.spawn([NGINX!, '-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdout: 'pipe', stderr: 'pipe' })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  // ready once it answers anything (the health route through the proxy)
  while (!(await fetch(`${url}/health`).then((r) => r.ok, () => false))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL')
      const log = existsSync(join(dir, 'error.log')) ? await Bun.file(join(dir, 'error.log')).text() : ''
      throw new Error(`nginx did not start: ${await new Response(proc.stderr).text()}${log}`)
    }
    await Bun.sleep(50)
  }
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGQUIT')
    await proc.exited
    rmSync(dir, { recursive: true, force: true })
  }
  return { url, stop, [Symbol.asyncDispose]: stop }
}
