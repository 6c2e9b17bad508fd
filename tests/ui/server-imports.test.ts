/**
 * The UI reaches the server only through types (the App for Eden's treaty, the admin models): every import or
 * re-export in ui/src that leaves ui/ must be type-only, so no server or db code can reach the browser bundle.
 */
import { expect, test } from 'bun:test'
import { Glob } from 'bun'
import { dirname, join, relative, resolve } from 'node:path'

const UI = join(import.meta.dir, '..', '..', 'ui')
const STATEMENT = /(?:^|\n)\s*((?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"])/g

test('ui/src imports nothing outside ui/ but types', async () => {
  const runtime: string[] = []
  let typeOnly = 0
  for (const file of new Glob('src/**/*.{ts,tsx}').scanSync(UI)) {
    const source = await Bun.file(join(UI, file)).text()
    for (const m of source.matchAll(STATEMENT)) {
      const [, statement, spec] = m as unknown as [string, string, string]
      if (!spec.startsWith('.') || !relative(UI, resolve(dirname(join(UI, file)), spec)).startsWith('..')) continue
      if (/^(?:import|export)\s+type\s/.test(statement)) typeOnly++
      else runtime.push(`${file}: ${statement.split('\n')[0]}`)
    }
  }
  expect(runtime).toEqual([])
  // the client's App type and the shared models are such imports: the check has something to look at
  expect(typeOnly).toBeGreaterThanOrEqual(2)
})
