/** `/api/access-keys`: per-consumer keys with scopes, limits and budgets (the secret is answered once). */
import { Elysia } from 'elysia'
import { AccessKeyCreate, AccessKeyCreated, AccessKeyListQuery, AccessKeyUpdate, AccessKeyUsage, AccessKeyView, UsageQuery } from './access-key-schemas'
import * as svc from './access-keys-service'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok, pageOf, paged } from './envelope'
import { Envelope, IdParams, Paged } from './schemas'

export function accessKeyRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.access-keys', prefix: '/api/access-keys', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get(
      '/',
      async ({ query }) => {
        const { page, page_size } = pageOf(query)
        const r = await svc.listAccessKeys(deps, { name: query.name, page, page_size })
        return ok(paged(r.items, r.total, page, page_size))
      },
      { query: AccessKeyListQuery, response: Envelope(Paged(AccessKeyView)), detail: { summary: 'List access keys with their usage in the current budget period' } },
    )
    .post('/', async ({ body }) => ok(await svc.createAccessKey(deps, body)), {
      body: AccessKeyCreate,
      response: Envelope(AccessKeyCreated),
      detail: { summary: 'Create an access key: the answer carries the secret (`key`), shown this once only' },
    })
    .put('/:id', async ({ params, body }) => ok(await svc.updateAccessKey(deps, params.id, body)), {
      params: IdParams,
      body: AccessKeyUpdate,
      response: Envelope(AccessKeyView),
      detail: { summary: 'Update an access key (only the fields given)' },
    })
    .delete(
      '/:id',
      async ({ params }) => {
        await svc.deleteAccessKey(deps, params.id)
        return ok(null)
      },
      { params: IdParams, detail: { summary: 'Delete an access key (it stops working at once)' } },
    )
    .post('/:id/rotate', async ({ params }) => ok(await svc.rotateAccessKey(deps, params.id)), {
      params: IdParams,
      response: Envelope(AccessKeyCreated),
      detail: { summary: 'A new secret for an access key; the old one stops working at once' },
    })
    .get('/:id/usage', async ({ params, query }) => ok(await svc.accessKeyUsage(deps, params.id, query)), {
      params: IdParams,
      query: UsageQuery,
      response: Envelope(AccessKeyUsage),
      detail: { summary: 'Requests, prompt/completion tokens and cost of an access key per hour or day' },
    })
}
