/**
 * `ui/dist` read from disk on each request (a `stat`), so a rebuild under a running server is picked up at once
 * and an index.html never points at assets the server does not know. Compressed variants and ETags are kept
 * per file version (path + mtime + size).
 */
import { readFileSync, statSync } from 'node:fs'
import { join, normalize, sep } from 'node:path'
import { compressVariants, type UiAsset, type UiAssetSource } from './assets'
import { isCompressible } from './content-type'

export function diskSource(distDir: string): UiAssetSource {
  const root = normalize(distDir)
  const cache = new Map<string, { version: string; asset: UiAsset }>()

  const get = (urlPath: string): UiAsset | undefined => {
    const file = normalize(join(root, urlPath))
    if (!file.startsWith(root + sep)) return undefined // no `..` escapes from the folder
    let version: string
    try {
      const stat = statSync(file)
      if (!stat.isFile()) return undefined
      version = `${stat.mtimeMs}:${stat.size}`
    } catch {
      return undefined
    }
    const hit = cache.get(urlPath)
    if (hit?.version === version) return hit.asset
    let variants: ReturnType<typeof compressVariants> | undefined
    const asset: UiAsset = {
      path: urlPath,
      body: (encoding) => {
        if (encoding === 'identity') return Bun.file(file)
        if (!isCompressible(urlPath)) return null
        // Quality 9 keeps the first request quick; embedded builds use 11, computed once at build time.
        variants ??= compressVariants(new Uint8Array(readFileSync(file)), 9)
        return variants[encoding] ?? null
      },
    }
    cache.set(urlPath, { version, asset })
    return asset
  }
  return { kind: 'disk', get }
}
