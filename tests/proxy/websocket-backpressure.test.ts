/**
 * A client that stops reading while the upstream keeps sending: keypool does not buffer without end nor drop
 * frames silently; past its bound it closes both sides with 1013 and logs why.
 */
import { expect, test } from 'bun:test'
import { startFakeWsUpstream } from '../support/fake-ws-upstream'
import { createTestApp, seedGroup, waitFor } from '../support/test-app'
import { maskedTextFrame } from '../support/ws-client'
import { logsOf, PROXY_KEY } from './helpers'

test('a client that stops reading: both sides closed with 1013 once 16 MiB wait for it', async () => {
  await using up = await startFakeWsUpstream()
  await using app = await createTestApp()
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }] }, ['sk-good-1'])
  const { port } = new URL(app.url)
  // A client that truly stops reading: a Python socket with a small receive buffer that never calls recv()
  // after the handshake (a paused node:net socket under Bun did not reliably stop reading).
  const frame = Buffer.from(maskedTextFrame(JSON.stringify({ type: 'fake.flood', count: 160, size: 256 * 1024 }))).toString('hex')
  const script = `
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
s.connect(('127.0.0.1', ${port}))
s.sendall(b'GET /proxy/rt/v1/realtime?model=m HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Version: 13\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nAuthorization: Bearer ${PROXY_KEY}\\r\\n\\r\\n')
head = b''
while b'\\r\\n\\r\\n' not in head:
    head += s.recv(1)
print(head.split(b' ')[1].decode(), flush=True)
s.sendall(bytes.fromhex('${frame}'))
sys.stdin.read()
`
  const client = Bun.spawn(['python3', '-c', script], { stdin: 'pipe', stdout: 'pipe' })
  try {
    const reader = client.stdout.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first.trim()).toBe('101')
    // 40 MiB from the upstream: more than the kernel's socket buffers and keypool's 16 MiB bound together
    await up.waitFor((u) => u.closes.length === 1)
    expect(up.closes[0]).toEqual({ code: 1013, reason: 'client is not reading fast enough' })
    await waitFor(async () => (await logsOf(app)).length === 1, 10_000, 'the session row')
    expect((await logsOf(app))[0]).toMatchObject({
      status_code: 101,
      is_success: false,
      error_message: 'client is not reading fast enough',
    })
  } finally {
    client.kill()
    await client.exited
  }
})
