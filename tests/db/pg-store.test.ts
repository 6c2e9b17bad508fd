import { afterAll, describe, expect, test } from 'bun:test'
import { identityCipher } from '../../db/cipher'
import { openPgStore } from '../../db/pg-store'
import { dropSchemas, PG_URL, pgReachable, uniqueSchema } from './pg-env'
import { storeSuite } from './store.suite'

const reachable = await pgReachable()
afterAll(dropSchemas)

if (reachable) {
  storeSuite('postgres', (cipher) => openPgStore(PG_URL, cipher, { schema: uniqueSchema() }))

  describe('postgres store', () => {
    test('stores in its own schema: two schemas do not see each other', async () => {
      const a = await openPgStore(PG_URL, identityCipher, { schema: uniqueSchema() })
      const b = await openPgStore(PG_URL, identityCipher, { schema: uniqueSchema() })
      try {
        await a.setMeta('who', 'a')
        expect([a.dialect, await a.getMeta('who'), await b.getMeta('who')]).toEqual(['postgres', 'a', null])
      } finally {
        await a.close()
        await b.close()
      }
    })
  })
} else {
  test.skip(`postgres store (unreachable: ${PG_URL})`, () => {})
}
