import { afterAll, describe, expect, test } from 'bun:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Elysia } from 'elysia'
import { embeddedSource, type EmbeddedManifest } from '../../server/ui/assets'
import { uiPlugin } from '../../server/ui'
import { embedUi } from '../../scripts/embed-ui'
import { APP_JS, INDEX_HTML, makeFixtureDist, PNG_BYTES } from './fixture-dist'

const fixture = makeFixtureDist()
afterAll(() => fixture[Symbol.dispose]())

// The UI plugin goes last, as in server/app.ts, behind real API-like routes that must win.
function appWith(ui: ReturnType<typeof uiPlugin>) {
  return new Elysia()
    .get('/api/groups', () => ({ code: 0, message: 'Success', data: [] }))
    .get('/health', () => ({ status: 'healthy' }))
    .all('/proxy/:group/*', ({ params }) => `proxied ${params.group}`)
    .use(ui)
}

const get = (app: { handle(r: Request): Promise<Response> }, path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://ui.test${path}`, { headers }))

async function embeddedManifest(): Promise<EmbeddedManifest> {
  const outFile = join(fixture.root, 'embedded.generated.ts')
  expect(embedUi({ distDir: fixture.dist, outFile, compressedDir: join(fixture.root, 'compressed') })).toBe(4)
  return ((await import(outFile)) as { EMBEDDED_UI: EmbeddedManifest }).EMBEDDED_UI
}

const sources = {
  disk: async () => uiPlugin({ mode: 'disk', distDir: fixture.dist }),
  embedded: async () => uiPlugin({ source: embeddedSource(await embeddedManifest()) }),
}

for (const [kind, makePlugin] of Object.entries(sources)) {
  describe(`ui plugin (${kind})`, async () => {
    const app = appWith(await makePlugin())

    test('serves index.html at / with no-cache and html content type', async () => {
      const res = await get(app, '/')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(await res.text()).toBe(INDEX_HTML)
    })

    test('hashed assets are immutable with the right content type', async () => {
      const js = await get(app, '/assets/index-Ab12Cd34.js')
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(await js.text()).toBe(APP_JS)
      const png = await get(app, '/assets/logo-Zz99.png', { 'accept-encoding': 'gzip, br' })
      expect(png.headers.get('content-type')).toBe('image/png')
      expect(png.headers.get('content-encoding')).toBeNull() // already compressed formats are sent as they are
      expect(new Uint8Array(await png.arrayBuffer())).toEqual(PNG_BYTES)
      const svg = await get(app, '/favicon.svg')
      expect(svg.headers.get('content-type')).toBe('image/svg+xml')
      expect(svg.headers.get('cache-control')).toBe('public, max-age=3600')
    })

    test('brotli preferred, gzip when only gzip is accepted, identity otherwise', async () => {
      const br = await get(app, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br' })
      expect(br.headers.get('content-encoding')).toBe('br')
      expect(br.headers.get('vary')).toBe('accept-encoding')
      const brBytes = new Uint8Array(await br.arrayBuffer())
      expect(brBytes.byteLength).toBeLessThan(APP_JS.length / 2)
      expect(brotliDecompressSync(brBytes).toString()).toBe(APP_JS)

      const gz = await get(app, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, br;q=0' })
      expect(gz.headers.get('content-encoding')).toBe('gzip')
      expect(gunzipSync(new Uint8Array(await gz.arrayBuffer())).toString()).toBe(APP_JS)

      const plain = await get(app, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'identity' })
      expect(plain.headers.get('content-encoding')).toBeNull()
      expect(plain.headers.get('vary')).toBe('accept-encoding')
    })

    test('client-side routes fall back to index.html; missing files are 404', async () => {
      for (const path of ['/groups', '/groups/12/keys', '/logs']) {
        const res = await get(app, path)
        expect({ path, status: res.status, body: await res.text() }).toEqual({ path, status: 200, body: INDEX_HTML })
      }
      const missing = await get(app, '/assets/gone-123.js')
      expect(missing.status).toBe(404)
    })

    test('API, proxy and health routes win; unknown API paths are JSON 404s, not the app shell', async () => {
      expect(await (await get(app, '/api/groups')).json()).toEqual({ code: 0, message: 'Success', data: [] })
      expect(await (await get(app, '/health')).json()).toEqual({ status: 'healthy' })
      expect(await (await get(app, '/proxy/openai/v1/models')).text()).toBe('proxied openai')
      const unknown = await get(app, '/api/nope')
      expect(unknown.status).toBe(404)
      expect(await unknown.json()).toEqual({ code: 'NOT_FOUND', message: 'no route for /api/nope' })
      expect((await get(app, '/v1/models')).status).toBe(404)
    })

    test('etag revalidation answers 304', async () => {
      const first = await get(app, '/')
      const etag = first.headers.get('etag')
      expect(etag).toMatch(/^".+"$/)
      const again = await get(app, '/', { 'if-none-match': etag ?? '' })
      expect(again.status).toBe(304)
    })

    test('HEAD answers headers without a body', async () => {
      const res = await app.handle(new Request('http://ui.test/assets/index-Ab12Cd34.js', { method: 'HEAD' }))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(await res.text()).toBe('')
    })
  })
}

test('without any built UI the root explains how to build it', async () => {
  const app = appWith(uiPlugin({ mode: 'disk', distDir: join(fixture.root, 'absent') }))
  const res = await get(app, '/')
  expect(res.status).toBe(503)
  expect(await res.text()).toContain('not built')
})

describe('ui plugin (disk) file access', () => {
  test('a rebuild under a running server is served at once', async () => {
    const app = appWith(uiPlugin({ mode: 'disk', distDir: fixture.dist }))
    expect((await get(app, '/assets/later-1.js')).status).toBe(404)
    writeFileSync(join(fixture.dist, 'assets', 'later-1.js'), 'export {}')
    const res = await get(app, '/assets/later-1.js')
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: 'export {}' })
  })

  test('encoded dot segments cannot reach files outside the folder', async () => {
    writeFileSync(join(fixture.root, 'secret.txt'), 'not for you')
    const app = appWith(uiPlugin({ mode: 'disk', distDir: fixture.dist }))
    const res = await get(app, '/assets/%2e%2e/%2e%2e/secret.txt')
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('not for you')
  })
})
