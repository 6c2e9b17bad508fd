/** The translators are typed against the official SDKs, but only with type imports: none of the SDKs' code is bundled. */
import { expect, test } from 'bun:test'

test('the translate module bundles without any SDK code', async () => {
  const out = await Bun.build({ entrypoints: [`${import.meta.dir}/../../server/translate/index.ts`], target: 'bun', metafile: true })
  expect(out.success).toBe(true)
  const inputs = Object.keys(out.metafile!.inputs)
  expect(inputs.filter((p) => p.includes('node_modules'))).toEqual([])
  expect(inputs.some((p) => p.includes('server/translate/anthropic-stream.ts'))).toBe(true)
})
