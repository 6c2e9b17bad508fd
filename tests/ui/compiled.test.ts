/**
 * The compiled binary must serve the UI when copied alone elsewhere (docs/architecture.md, "Build facts worth knowing"): compile a tiny server that uses the
 * generated manifest, delete the source files, run the binary from another folder and fetch the UI from it.
 */
import { afterAll, expect, test } from 'bun:test'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { embedUi } from '../../scripts/embed-ui'
import { APP_JS, INDEX_HTML, makeFixtureDist } from './fixture-dist'

const fixture = makeFixtureDist()
afterAll(() => fixture[Symbol.dispose]())

const ENTRY = `
import { Elysia } from 'elysia'
import { uiPlugin } from '${join(import.meta.dir, '..', '..', 'server', 'ui')}'
import { embeddedSource } from '${join(import.meta.dir, '..', '..', 'server', 'ui', 'assets')}'
import { EMBEDDED_UI } from './generated'
const app = new Elysia().get('/health', () => 'ok').use(uiPlugin({ source: embeddedSource(EMBEDDED_UI) })).listen({ port: 0, hostname: '127.0.0.1' })
console.log('PORT=' + app.server?.port)
`

test('a compiled binary copied alone serves the embedded UI, compressed', async () => {
  embedUi({ distDir: fixture.dist, outFile: join(fixture.root, 'generated.ts'), compressedDir: join(fixture.root, '.compressed') })
  writeFileSync(join(fixture.root, 'entry.ts'), ENTRY)
  const binary = join(fixture.root, 'ui-server')
  const build = Bun.spawnSync([process.execPath, 'build', '--compile', join(fixture.root, 'entry.ts'), '--outfile', binary], {
    stderr: 'pipe',
    stdout: 'pipe',
  })
  expect({ code: build.exitCode, err: build.stderr.toString() }).toEqual({ code: 0, err: '' })

  // Only the binary survives: the dist, the compressed variants and the generated module are gone.
  const alone = join(fixture.root, 'elsewhere')
  mkdirSync(alone)
  copyFileSync(binary, join(alone, 'ui-server'))
  for (const p of ['dist', '.compressed', 'generated.ts', 'entry.ts', 'ui-server']) rmSync(join(fixture.root, p), { recursive: true, force: true })

  await using proc = Bun.spawn([join(alone, 'ui-server')], { cwd: alone, stdout: 'pipe', stderr: 'inherit' })
  const reader = proc.stdout.getReader()
  let out = ''
  while (!out.includes('\n')) {
    const { value, done } = await reader.read()
    if (done) break
    out += new TextDecoder().decode(value)
  }
  const port = /PORT=(\d+)/.exec(out)?.[1]
  expect(port).toBeDefined()
  const base = `http://127.0.0.1:${port}`

  expect(await (await fetch(`${base}/groups/3`)).text()).toBe(INDEX_HTML)
  const js = await fetch(`${base}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'br' }, decompress: false })
  expect(js.headers.get('content-encoding')).toBe('br')
  expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  const plain = await fetch(`${base}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'identity' } })
  expect(await plain.text()).toBe(APP_JS)
  proc.kill()
})
