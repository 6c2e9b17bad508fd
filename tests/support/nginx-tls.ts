/**
 * nginx terminating TLS in front of a local HTTP server (WebSocket upgrades passed through), for clients that only
 * speak wss:// or https:// (the OpenAI SDK's Realtime client refuses ws://). A self-signed certificate and its own
 * prefix dir under a temp folder; a free high port picked by binding port 0 first. Never the system config.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface NginxTls {
  /** https://127.0.0.1:{port} */
  url: string
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = probe.port
  probe.stop(true)
  return port
}

async function reachable(port: number): Promise<boolean> {
  try {
    const s = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } })
    s.end()
    return true
  } catch {
    return false
  }
}

export async function startNginxTls(backend: string): Promise<NginxTls> {
  const dir = mkdtempSync(join(tmpdir(), 'keypool-nginx-tls-'))
  const cert = Bun.spawnSync([
    'openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stderr: 'pipe' })
  if (cert.exitCode !== 0) throw new Error(`openssl failed: ${cert.stderr.toString()}`)
  const port = freePort()
  const b = new URL(backend)
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${join(dir, 'cert.pem')};
    ssl_certificate_key ${join(dir, 'key.pem')};
    location / {
      proxy_pass http://${b.host};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 60s;
    }
  }
}
`,
  )
  const proc = Bun.spawn(['/usr/sbin/nginx', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stderr: 'pipe' })
  const deadline = Date.now() + 10_000
  while (!(await reachable(port))) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${await new Response(proc.stderr).text()}`)
    if (Date.now() > deadline) throw new Error('nginx did not start listening')
    await Bun.sleep(20)
  }
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    proc.kill('SIGQUIT')
    await proc.exited
    rmSync(dir, { recursive: true, force: true })
  }
  return { url: `https://127.0.0.1:${port}`, stop, [Symbol.asyncDispose]: stop }
}
