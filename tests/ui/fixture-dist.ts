/** A small built-UI folder for the serving tests: an app shell, a hashed script worth compressing, an image. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const INDEX_HTML = '<!doctype html><html><head><title>keypool</title></head><body><div id="root"></div></body></html>'
// Repetitive on purpose so gzip and brotli both shrink it well below the 90% threshold.
export const APP_JS = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{id:${i},name:"key-${i}"}`).join(',')}]\n`
export const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(600).fill(7)])

/** Creates the folder under tests/.tmp (inside the repo, so a compiled fixture resolves node_modules). */
export function makeFixtureDist(): { root: string; dist: string; [Symbol.dispose](): void } {
  const base = join(import.meta.dir, '..', '.tmp')
  mkdirSync(base, { recursive: true })
  const root = mkdtempSync(join(base, 'ui-'))
  const dist = join(root, 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), INDEX_HTML)
  writeFileSync(join(dist, 'assets', 'index-Ab12Cd34.js'), APP_JS)
  writeFileSync(join(dist, 'assets', 'logo-Zz99.png'), PNG_BYTES)
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  return { root, dist, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) }
}
