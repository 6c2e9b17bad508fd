/**
 * The import graph of server/ and db/ is a stack (docs/architecture.md, "Parts and layers"): a file imports only
 * from its own part or from a part in the same or a lower layer, and no files (nor parts) import each other in a
 * circle. The parser reads static `import`/`export … from`, side-effect imports and `import('…')` type/dynamic
 * imports; only relative specifiers matter (packages are not parts).
 */
import { describe, expect, test } from 'bun:test'
import { Glob } from 'bun'
import { dirname, join, relative, resolve } from 'node:path'
import { existsSync, statSync } from 'node:fs'

const ROOT = join(import.meta.dir, '..', '..')

/** Top first. A part is a folder of server/ (or server's own top files, or db/ as a whole). */
const LAYERS: string[][] = [
  ['server', 'server/cli', 'server/cluster'],
  ['server/admin', 'server/proxy', 'server/jobs', 'server/ui'],
  ['server/pool', 'server/channels', 'server/logs', 'server/access', 'server/translate', 'server/alerts', 'server/pricing', 'server/cache'],
  ['server/config'],
  ['db'],
  ['server/shared'],
]

/**
 * Circles another branch removes (hard-proxy moves ProxyDeps/ProxyRequest out of handler.ts). Listed so this test
 * guards everything else meanwhile; the last test fails once a listed circle is gone, so the list cannot rot.
 */
const KNOWN_CYCLES: string[] = []

const IMPORT_RE = /(?:^|[\n;}])\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** Relative specifiers a source file imports (comments removed first so prose cannot count). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  const out: string[] = []
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2]!
    if (spec.startsWith('.')) out.push(spec)
  }
  return out
}

function resolveFile(from: string, spec: string): string | null {
  const base = resolve(dirname(join(ROOT, from)), spec)
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (isFile(c)) return relative(ROOT, c)
  return null
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile()
}

export function partOf(file: string): string | null {
  if (file.startsWith('db/')) return 'db'
  const m = /^server\/([^/]+)\//.exec(file)
  if (m) return `server/${m[1]}`
  if (/^server\/[^/]+$/.test(file)) return 'server'
  return null
}

function layerOf(part: string): number {
  const i = LAYERS.findIndex((l) => l.includes(part))
  if (i < 0) throw new Error(`part ${part} has no layer: add it to LAYERS in this test and to docs/architecture.md`)
  return i
}

export type Edges = Map<string, string[]>

/** Every elementary cycle's first file found by depth-first search, as a readable chain. */
export function findCycles(edges: Edges): string[] {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const cycles: string[] = []
  const visit = (n: string) => {
    state.set(n, 'open')
    stack.push(n)
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m].join(' -> '))
      else if (!state.has(m)) visit(m)
    }
    stack.pop()
    state.set(n, 'done')
  }
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n)
  return cycles
}

/** Imports that go up the stack, as `from -> to (layer a above b)` lines. */
export function upwardImports(fileEdges: Edges): string[] {
  const out: string[] = []
  for (const [from, tos] of fileEdges) {
    const pf = partOf(from)!
    for (const to of tos) {
      const pt = partOf(to)
      if (!pt || pt === pf) continue
      if (layerOf(pt) < layerOf(pf)) out.push(`${from} -> ${to}`)
    }
  }
  return out.sort()
}

async function graph(): Promise<{ files: Edges; parts: Edges }> {
  const files: Edges = new Map()
  const parts: Edges = new Map()
  for (const file of new Glob('{server,db}/**/*.ts').scanSync(ROOT)) {
    if (file.endsWith('.generated.ts') || file.endsWith('.d.ts')) continue
    const targets: string[] = []
    for (const spec of importsOf(await Bun.file(join(ROOT, file)).text())) {
      const to = resolveFile(file, spec)
      if (to && partOf(to)) targets.push(to)
    }
    files.set(file, targets)
    const pf = partOf(file)!
    const set = new Set(parts.get(pf) ?? [])
    for (const t of targets) if (partOf(t) !== pf) set.add(partOf(t)!)
    parts.set(pf, [...set])
  }
  return { files, parts }
}

describe('the parser and the checks', () => {
  test('reads every import form and ignores prose', () => {
    const src = [
      "import { a } from './a'",
      "import type { B } from '../b'",
      "export { c } from './c'",
      "export * from './d'",
      "import './e'",
      'import {\n  f,\n  g,\n} from "./fg"',
      "type H = import('./h').H",
      "import { Elysia } from 'elysia'",
      "// import { x } from './commented'",
      "/* import { y } from './block' */",
    ].join('\n')
    expect(importsOf(src)).toEqual(['./a', '../b', './c', './d', './e', './fg', './h'])
  })

  test('a circle and an upward import are both found', () => {
    const edges: Edges = new Map([
      ['server/pool/a.ts', ['server/admin/x.ts']],
      ['server/admin/x.ts', ['server/pool/a.ts']],
    ])
    expect(findCycles(edges)).toEqual(['server/admin/x.ts -> server/pool/a.ts -> server/admin/x.ts'])
    expect(upwardImports(edges)).toEqual(['server/pool/a.ts -> server/admin/x.ts'])
  })
})

describe('server/ and db/', () => {
  test('no file imports from a part above its own', async () => {
    expect(upwardImports((await graph()).files)).toEqual([])
  })

  test('no files import each other in a circle', async () => {
    expect(findCycles((await graph()).files).filter((c) => !KNOWN_CYCLES.includes(c))).toEqual([])
  })

  test('every circle still listed as known is still there (delete the entry when it is gone)', async () => {
    const cycles = findCycles((await graph()).files)
    expect(KNOWN_CYCLES.filter((c) => !cycles.includes(c))).toEqual([])
  })

  test('no parts import each other in a circle (peers in one layer included)', async () => {
    expect(findCycles((await graph()).parts)).toEqual([])
  })
})

test('docs/architecture.md names every part of the stack', async () => {
  const doc = await Bun.file(join(ROOT, 'docs', 'architecture.md')).text()
  const parts = LAYERS.flat().filter((p) => p !== 'server')
  expect(parts.filter((p) => !doc.includes(`\`${p}/\``))).toEqual([])
})
