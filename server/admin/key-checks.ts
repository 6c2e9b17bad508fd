/** `/api/keys/validate-group` (background task) and `/api/keys/test-multiple` (answers at once). */
import { Elysia } from 'elysia'
import { validationError } from '../shared/errors'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok } from './envelope'
import * as svc from './keys-service'
import { isMaskedKey, unmaskKeys } from './masked-keys'
import { Envelope, KeyTestResults, KeysTextBody, TaskStatus, ValidateGroupBody } from './schemas'

export function keyCheckRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.key-checks', prefix: '/api/keys', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .post(
      '/validate-group',
      async ({ body }) => {
        const g = await svc.requireKeyGroup(deps, body.group_id)
        const all = body.status ? await deps.store.keysByStatus(body.status, g.id) : await deps.store.groupKeys(g.id)
        // Disabled keys are the admin's decision: validation never brings them back.
        const keys = all.filter((k) => k.status !== 'disabled')
        return ok(deps.tasks.start('KEY_VALIDATION', g.name, keys.length, (p) => svc.validateGroupKeys(deps, g, keys, p)))
      },
      {
        body: ValidateGroupBody,
        response: Envelope(TaskStatus),
        detail: { summary: "Validate a group's keys in the background; progress at /api/tasks/status" },
      },
    )
    .post(
      '/test-multiple',
      async ({ body }) => {
        const g = await svc.requireKeyGroup(deps, body.group_id)
        const given = svc.keysFromText(body.keys_text, null)
        // Values copied from a list are masked: they name keys of this group (read only when needed).
        const keys = [...new Set(given.some(isMaskedKey) ? unmaskKeys(given, await deps.store.groupKeys(g.id)) : given)]
        if (keys.length > svc.TEST_KEY_LIMIT)
          throw validationError(`keys_text holds ${keys.length} keys; test at most ${svc.TEST_KEY_LIMIT} at once`)
        const started = deps.clock.now()
        const results = await svc.testKeys(deps, g, keys)
        return ok({ results, total_duration: deps.clock.now() - started })
      },
      { body: KeysTextBody, response: Envelope(KeyTestResults), detail: { summary: 'Test keys now and report each' } },
    )
}
