/** `GET /api/tasks/status`: the running or last background task, in GPT-Load's shape. */
import { Elysia } from 'elysia'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok } from './envelope'
import { Envelope, TaskStatus } from './schemas'

export function taskRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.tasks', prefix: '/api/tasks', seed })
    .use(authGuard(auth))
    .get('/status', () => ok(deps.tasks.status()), {
      auth: true,
      response: Envelope(TaskStatus),
      detail: { summary: 'Status of the running or last import, delete or validation task' },
    })
}
