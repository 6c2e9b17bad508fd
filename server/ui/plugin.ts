/**
 * Serves the admin UI at `/`: embedded files in a compiled binary, `ui/dist` on disk otherwise.
 * `server/app.ts` must `.use()` this LAST: it registers a wildcard, and API/proxy routes must win.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Elysia } from 'elysia'
import { embeddedSource, type UiAsset, type UiAssetSource } from './assets'
import { diskSource } from './disk-source'
import { contentTypeOf, extensionOf, isCompressible } from './content-type'
import { loadEmbeddedManifest } from './embedded-assets'
import { chooseEncoding } from './encoding'

export interface UiPluginOptions {
  /** `auto` (default): embedded when running as a compiled binary or when `ui/dist` is absent, else disk. */
  mode?: 'auto' | 'embedded' | 'disk'
  /** built UI folder for disk mode; default `ui/dist` of this checkout */
  distDir?: string
  /** a ready source (tests) */
  source?: UiAssetSource
  /** paths under these never fall back to index.html: they belong to the API and the proxy */
  reservedPrefixes?: readonly string[]
}

export const RESERVED_PREFIXES = ['/api', '/proxy', '/v1', '/health', '/metrics', '/stats', '/blacklist', '/reset-keys']
const IMMUTABLE = 'public, max-age=31536000, immutable'
const DEFAULT_DIST = join(import.meta.dir, '..', '..', 'ui', 'dist')

function isCompiledBinary(): boolean {
  return import.meta.dir.includes('$bunfs') || import.meta.dir.includes('~BUN')
}

export async function resolveUiSource(opts: UiPluginOptions = {}): Promise<UiAssetSource | null> {
  if (opts.source) return opts.source
  const distDir = opts.distDir ?? DEFAULT_DIST
  const mode = opts.mode ?? 'auto'
  if (mode === 'disk') return diskSource(distDir)
  const preferEmbedded = mode === 'embedded' || isCompiledBinary() || !existsSync(join(distDir, 'index.html'))
  if (preferEmbedded) {
    const manifest = await loadEmbeddedManifest()
    if (manifest) return embeddedSource(manifest)
    if (mode === 'embedded') return null
  }
  return existsSync(join(distDir, 'index.html')) ? diskSource(distDir) : null
}

function cacheControlFor(path: string): string {
  if (path.startsWith('/assets/')) return IMMUTABLE // Vite content-hashes every file there
  if (path.endsWith('.html')) return 'no-cache'
  return 'public, max-age=3600'
}

const etags = new WeakMap<UiAsset, Promise<string>>()
function etagOf(asset: UiAsset): Promise<string> {
  let tag = etags.get(asset)
  if (!tag) {
    const body = asset.body('identity')
    const bytes = body instanceof Blob ? body.arrayBuffer() : Promise.resolve(body ?? new Uint8Array())
    tag = bytes.then((b) => `"${Bun.hash(b).toString(36)}"`)
    etags.set(asset, tag)
  }
  return tag
}

async function respond(asset: UiAsset, request: Request): Promise<Response> {
  const headers = new Headers({
    'content-type': contentTypeOf(asset.path),
    'cache-control': cacheControlFor(asset.path),
    'x-content-type-options': 'nosniff',
  })
  if (asset.path.endsWith('.html')) {
    headers.set('x-frame-options', 'DENY')
    headers.set('referrer-policy', 'same-origin')
  }
  const etag = await etagOf(asset)
  headers.set('etag', etag)
  const compressible = isCompressible(asset.path)
  if (compressible) headers.set('vary', 'accept-encoding')
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers })

  const encoding = compressible
    ? chooseEncoding(request.headers.get('accept-encoding'), {
        br: asset.body('br') !== null,
        gzip: asset.body('gzip') !== null,
      })
    : 'identity'
  if (encoding !== 'identity') headers.set('content-encoding', encoding)
  const body = asset.body(encoding)
  return new Response(request.method === 'HEAD' ? null : body, { headers })
}

function notFound(path: string, reserved: boolean): Response {
  if (reserved) {
    return Response.json({ code: 'NOT_FOUND', message: `no route for ${path}` }, { status: 404 })
  }
  return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>keypool</title>
<p style="font:16px system-ui;margin:3rem">The admin UI is not built. Run <code>bun start</code> (it builds the UI) or
<code>bunx vite build --config ui/vite.config.ts</code>. The API is available at <code>/api</code>.</p>`

/** The Elysia plugin. The asset source is resolved once, on the first request, so start-up stays quick. */
export function uiPlugin(opts: UiPluginOptions = {}) {
  const reserved = opts.reservedPrefixes ?? RESERVED_PREFIXES
  let source: Promise<UiAssetSource | null> | undefined
  const isReserved = (path: string) => reserved.some((p) => path === p || path.startsWith(p + '/'))

  const handle = async ({ request }: { request: Request }): Promise<Response> => {
    const path = decodeURIComponent(new URL(request.url).pathname)
    if (isReserved(path)) return notFound(path, true)
    source ??= resolveUiSource(opts)
    const ui = await source
    const asset = ui?.get(path === '/' ? '/index.html' : path)
    if (asset) return respond(asset, request)
    // Client-side routes (no extension) get the app shell; a missing file with an extension is a real 404.
    if (extensionOf(path) !== '') return notFound(path, false)
    const index = ui?.get('/index.html')
    if (index) return respond(index, request)
    return new Response(NOT_BUILT_PAGE, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } })
  }

  // `all`, not `get`: Elysia tries method routes before `all` routes, so a GET wildcard would shadow the proxy's
  // `all('/proxy/:group/*')`. Among `all` routes the more specific path wins.
  return new Elysia({ name: 'ui' }).all('/*', (ctx) => {
    const method = ctx.request.method
    if (method === 'GET' || method === 'HEAD') return handle(ctx)
    const path = new URL(ctx.request.url).pathname
    return notFound(path, true)
  })
}
