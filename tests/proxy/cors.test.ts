/** ENABLE_CORS: browsers calling the proxy directly get their preflight answered and CORS headers on answers. */
import { expect, test } from 'bun:test'
import { chat, proxyRig } from './helpers'

test('with ENABLE_CORS the proxy answers preflights and adds CORS headers', async () => {
  await using rig = await proxyRig(['sk-good'], {}, { ENABLE_CORS: 'true', ALLOWED_ORIGINS: 'https://chat.example.com' })
  const pre = await fetch(`${rig.base}/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://chat.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  })
  expect(pre.status).toBeLessThan(300)
  expect(pre.headers.get('access-control-allow-origin')).toBe('https://chat.example.com')
  expect(rig.upstream.requests.length).toBe(0) // the preflight is not proxied
  const res = await chat(rig.base, {}, { origin: 'https://chat.example.com' })
  expect(res.status).toBe(200)
  expect(res.headers.get('access-control-allow-origin')).toBe('https://chat.example.com')
})

test('without ENABLE_CORS no CORS headers are added', async () => {
  await using rig = await proxyRig(['sk-good'])
  const res = await chat(rig.base, {}, { origin: 'https://chat.example.com' })
  expect(res.status).toBe(200)
  expect(res.headers.get('access-control-allow-origin')).toBeNull()
})
