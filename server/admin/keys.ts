/** `/api/keys`: list (masked), reveal one (logged), add, delete, restore, clear, enable/disable, notes, export. */
import { Elysia } from 'elysia'
import { KEY_STATUSES } from '../../db/types'
import { log } from '../shared/logger'
import { conflict } from '../shared/errors'
import { authGuard } from './auth'
import { reloadPoolGroup, type AdminContext } from './context'
import { ok, pageOf, paged } from './envelope'
import { requireSendableKeys } from '../shared/key-list'
import { hashKey } from './key-text'
import { parseKeyUpload } from './key-upload'
import { requireGroup } from './groups-service'
import * as svc from './keys-service'
import {
  AddKeysResult, DeletedCount, DeleteKeysResult, Envelope, GroupIdBody, IdParams, KeyExportQuery, KeyListQuery, KeySelectionBody,
  KeyStatusBody, KeyView, KeysTextBody, NotesBody, Paged, RestoredCount, RestoreKeysResult, RevealedKey, TaskStatus,
} from './schemas'

/** Restoring keys none of which is invalid or cooling does nothing: say why rather than "Success". */
function nothingToRestore(keys: { status: string }[]) {
  const disabled = keys.filter((k) => k.status === 'disabled').length
  return conflict(
    disabled > 0
      ? `nothing to restore: ${disabled} of the keys ${disabled === 1 ? 'is' : 'are'} disabled (enable with PUT /api/keys/:id/status), the rest active`
      : 'nothing to restore: the keys are active',
  )
}

export function keyRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.keys', prefix: '/api/keys', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get(
      '/',
      async ({ query }) => {
        const { page, page_size } = pageOf(query)
        // An unknown group is a 404 here as on every other keys route, not an empty page that looks like success.
        if (query.group_id !== undefined) await requireGroup(deps, query.group_id)
        const key_hash = query.key_value?.trim() ? hashKey(deps.store, query.key_value.trim()) : undefined
        // States change on the request path and reach the store in batches; show the latest.
        await deps.pool.flush()
        const r = await deps.store.listKeys({
          group_id: query.group_id,
          status: query.status || undefined,
          key_hash,
          page,
          page_size,
        })
        return ok(paged(await svc.keyViews(deps, r.items), r.total, page, page_size))
      },
      { query: KeyListQuery, response: Envelope(Paged(KeyView)), detail: { summary: 'List keys (values masked)' } },
    )
    .get(
      '/:id/reveal',
      async ({ params, request, server }) => {
        const k = await svc.requireKey(deps, params.id)
        log.info('admin revealed a key', { key_id: k.id, group_id: k.group_id, ip: auth.addresses.of(request, server) })
        return ok({ id: k.id, key_value: k.key_value })
      },
      { params: IdParams, response: Envelope(RevealedKey), detail: { summary: 'The full value of one key (logged)' } },
    )
    .post(
      '/add-multiple',
      async ({ body }) => {
        await svc.requireKeyGroup(deps, body.group_id)
        return ok(await svc.importKeys(deps, body.group_id, requireSendableKeys(svc.keysFromText(body.keys_text, svc.SYNC_KEY_LIMIT), 'keys_text')))
      },
      { body: KeysTextBody, response: Envelope(AddKeysResult), detail: { summary: 'Add up to 5,000 keys at once' } },
    )
    .post(
      '/add-async',
      async ({ body }) => {
        const g = await svc.requireKeyGroup(deps, body.group_id)
        const keys = requireSendableKeys(svc.keysFromText(body.keys_text, null), 'keys_text')
        return ok(deps.tasks.start('KEY_IMPORT', g.name, keys.length, (p) => svc.importKeys(deps, g.id, keys, p)))
      },
      {
        // GPT-Load's web admin uploads a .txt file as multipart form data; JSON bodies parse as on every route.
        parse: ({ request }) => parseKeyUpload(request),
        body: KeysTextBody,
        response: Envelope(TaskStatus),
        detail: {
          summary: 'Add any number of keys in the background',
          description: 'JSON {group_id, keys_text}, or multipart form data with group_id and file (a .txt, up to 64 MiB)',
          requestBody: {
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['group_id', 'file'],
                  properties: { group_id: { type: 'integer' }, file: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        },
      },
    )
    .post(
      '/delete-multiple',
      async ({ body }) => {
        await svc.requireKeyGroup(deps, body.group_id)
        const { keys, ignored } = await svc.selectKeys(deps, body.group_id, body, svc.SYNC_KEY_LIMIT)
        const deleted = await svc.deleteKeyIds(deps, body.group_id, keys.map((k) => k.id))
        return ok({ deleted_count: deleted, ignored_count: ignored, total_in_group: await svc.totalInGroup(deps, body.group_id) })
      },
      { body: KeySelectionBody, response: Envelope(DeleteKeysResult), detail: { summary: 'Delete up to 5,000 keys' } },
    )
    .post(
      '/delete-async',
      async ({ body }) => {
        const g = await svc.requireKeyGroup(deps, body.group_id)
        const { keys, ignored } = await svc.selectKeys(deps, g.id, body, null)
        const ids = keys.map((k) => k.id)
        return ok(
          deps.tasks.start('KEY_DELETE', g.name, ids.length, async (p) => ({
            deleted_count: await svc.deleteKeyIds(deps, g.id, ids, p),
            ignored_count: ignored,
            total_in_group: await svc.totalInGroup(deps, g.id),
          })),
        )
      },
      { body: KeySelectionBody, response: Envelope(TaskStatus), detail: { summary: 'Delete any number of keys in the background' } },
    )
    .post(
      '/restore-multiple',
      async ({ body }) => {
        await svc.requireKeyGroup(deps, body.group_id)
        const { keys, ignored } = await svc.selectKeys(deps, body.group_id, body, svc.SYNC_KEY_LIMIT)
        // Disabled keys stay disabled: only an explicit enable brings them back.
        const ids = keys.filter((k) => k.status === 'invalid' || k.status === 'cooling').map((k) => k.id)
        if (ids.length === 0) throw nothingToRestore(keys)
        const restored = await svc.setKeysStatus(deps, body.group_id, ids, 'active')
        return ok({
          restored_count: restored,
          ignored_count: ignored + keys.length - ids.length,
          total_in_group: await svc.totalInGroup(deps, body.group_id),
        })
      },
      { body: KeySelectionBody, response: Envelope(RestoreKeysResult), detail: { summary: 'Restore invalid or cooling keys' } },
    )
    .post(
      '/restore-all-invalid',
      async ({ body }) => {
        await svc.requireKeyGroup(deps, body.group_id)
        const ids = (await deps.store.keysByStatus('invalid', body.group_id)).map((k) => k.id)
        return ok({ restored_count: await svc.setKeysStatus(deps, body.group_id, ids, 'active') })
      },
      {
        body: GroupIdBody,
        response: Envelope(RestoredCount),
        detail: { summary: 'Restore every invalid key of a group' },
      },
    )
    .post(
      '/clear-all-invalid',
      async ({ body }) => {
        await svc.requireKeyGroup(deps, body.group_id)
        const deleted = await deps.store.deleteKeysByStatus(body.group_id, 'invalid')
        await reloadPoolGroup(deps, body.group_id)
        return ok({ deleted_count: deleted })
      },
      {
        body: GroupIdBody,
        response: Envelope(DeletedCount),
        detail: { summary: 'Delete every invalid key of a group' },
      },
    )
    .post(
      '/clear-all',
      async ({ body }) => {
        await svc.requireKeyGroup(deps, body.group_id)
        const deleted = await deps.store.deleteKeysByStatus(body.group_id, 'all')
        await reloadPoolGroup(deps, body.group_id)
        return ok({ deleted_count: deleted })
      },
      {
        body: GroupIdBody,
        response: Envelope(DeletedCount),
        detail: { summary: 'Delete every key of a group' },
      },
    )
    .put(
      '/:id/status',
      async ({ params, body }) => {
        const k = await svc.requireKey(deps, params.id)
        await svc.setKeysStatus(deps, k.group_id, [k.id], body.status)
        return ok((await svc.keyViews(deps, [await svc.requireKey(deps, k.id)]))[0]!)
      },
      { params: IdParams, body: KeyStatusBody, response: Envelope(KeyView), detail: { summary: 'Enable or disable one key' } },
    )
    .put(
      '/:id/notes',
      async ({ params, body }) => {
        const k = await svc.requireKey(deps, params.id)
        await deps.store.setKeyNotes(k.id, body.notes)
        return ok((await svc.keyViews(deps, [await svc.requireKey(deps, k.id)]))[0]!)
      },
      { params: IdParams, body: NotesBody, response: Envelope(KeyView), detail: { summary: "Set a key's notes" } },
    )
    .get(
      '/export',
      async ({ query, set }) => {
        const g = await svc.requireKeyGroup(deps, query.group_id)
        const status = query.status || 'all'
        const keys =
          status === 'all' ? await deps.store.groupKeys(g.id) : await deps.store.keysByStatus(status, g.id)
        log.info('admin exported keys', { group: g.name, status, count: keys.length })
        set.headers['content-type'] = 'text/plain; charset=utf-8'
        set.headers['content-disposition'] = `attachment; filename="keys-${g.name}-${status}.txt"`
        return keys.map((k) => k.key_value).join('\n') + (keys.length > 0 ? '\n' : '')
      },
      {
        query: KeyExportQuery,
        detail: { summary: `Download keys as .txt, one a line (status: all, ${KEY_STATUSES.join(', ')}); ?key= works as a Bearer key here` },
      },
    )
}
