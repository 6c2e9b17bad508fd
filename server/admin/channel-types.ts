/** `GET /api/channel-types` (GPT-Load: the list of type names) and `/details` (defaults the UI offers). */
import { Elysia, t } from 'elysia'
import { CHANNELS } from '../channels'
import { CHANNEL_TYPES } from '../channels/types'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok } from './envelope'
import { ChannelTypeInfo, ChannelTypeSchema, Envelope } from './schemas'

export function channelTypeRoutes({ auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.channel-types', prefix: '/api/channel-types', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get('/', () => ok([...CHANNEL_TYPES]), {
      response: Envelope(t.Array(ChannelTypeSchema)),
      detail: { summary: 'Channel type names' },
    })
    .get(
      '/details',
      () =>
        ok(
          CHANNEL_TYPES.map((type) => {
            const c = CHANNELS[type]
            return {
              type,
              label: c.label,
              default_upstream: c.defaultUpstream,
              default_test_model: c.defaultTestModel,
              default_validation_endpoint: c.defaultValidationEndpoint,
            }
          }),
        ),
      { response: Envelope(t.Array(ChannelTypeInfo)), detail: { summary: 'Each channel type with its defaults' } },
    )
}
