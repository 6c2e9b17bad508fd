/**
 * Where the UI's files come from: the manifest embedded in the compiled binary (here), or `ui/dist` on disk
 * (disk-source.ts). Both answer the same question: for a URL path, which file, and which compressed variants.
 */
import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'

/** One file of the UI. `body` reads the bytes of the requested variant. */
export interface UiAsset {
  /** URL path, e.g. `/assets/index-abc123.js` */
  path: string
  body(encoding: 'identity' | 'gzip' | 'br'): Blob | Uint8Array<ArrayBuffer> | null
}

export interface UiAssetSource {
  kind: 'embedded' | 'disk'
  get(urlPath: string): UiAsset | undefined
}

/** The generated manifest: URL path -> file paths (in the binary's `$bunfs` once compiled). */
export type EmbeddedManifest = Record<string, { file: string; gzip?: string; br?: string }>

export function embeddedSource(manifest: EmbeddedManifest): UiAssetSource {
  const assets = new Map<string, UiAsset>()
  for (const [path, entry] of Object.entries(manifest)) {
    assets.set(path, {
      path,
      body: (encoding) => {
        const file = encoding === 'identity' ? entry.file : entry[encoding]
        return file ? Bun.file(file) : null
      },
    })
  }
  return { kind: 'embedded', get: (p) => assets.get(p) }
}

/** Compressed variants worth keeping: smaller than the original by a margin. Shared with scripts/embed-ui.ts. */
export function compressVariants(bytes: Uint8Array, brotliQuality = 11): { gzip?: Uint8Array<ArrayBuffer>; br?: Uint8Array<ArrayBuffer> } {
  if (bytes.byteLength < 256) return {}
  const gzip = new Uint8Array(gzipSync(bytes, { level: 9 }))
  const br = new Uint8Array(
    brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: brotliQuality, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
    }),
  )
  const worth = (c: Uint8Array<ArrayBuffer>) => c.byteLength < bytes.byteLength * 0.9
  return { ...(worth(gzip) ? { gzip } : {}), ...(worth(br) ? { br } : {}) }
}

export function listFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(full))
    else if (entry.isFile()) out.push(full)
  }
  return out
}

export function urlPathOf(root: string, file: string): string {
  return '/' + relative(root, file).split(sep).join('/')
}
