/**
 * The one typed client of the admin API, built on Eden's `treaty<App>`: paths, bodies, queries and answers are
 * the server app's own types (a type-only import: no server code reaches the bundle), so a renamed route or a
 * changed schema fails `tsc` here (tests/ui/typecheck.test.ts proves it). Every call goes through `unwrap`,
 * which opens the `{code:0,message,data}` envelope, turns error bodies into `ApiError`, and sends a 401 anywhere
 * back to login. The session is the HttpOnly cookie set by login: the admin key is never kept in the browser.
 */
import { treaty } from '@elysiajs/eden'
import type { App } from '../../../server/app'
import type { ChannelTypeInfo, KeyListQuery, KeyStatus, LogQueryParams } from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

// parseDate off: Eden would turn ISO strings (task times) into Date objects the schemas do not describe.
const server = treaty<App>(typeof location === 'undefined' ? 'http://localhost' : location.origin, {
  parseDate: false,
  fetch: { credentials: 'same-origin' },
}).api

type Query = Record<string, string | number | boolean | undefined | null>
/** `expired`: this page had a working session before the 401 (so say so), rather than never having one. */
type UnauthorizedHandler = (info: { expired: boolean }) => void
let onUnauthorized: UnauthorizedHandler = () => {}
let hadSession = false

/** Called once by the app shell: where a 401 sends the user. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/** Eden's answer: `data` on 2xx, `error.value` (the parsed body) otherwise; no `response` when fetch failed. */
interface EdenAnswer {
  data: unknown
  error: { status: unknown; value: unknown } | null
  status: number
  response?: Response
}
/** The `data` of a route's `{code:0,message,data}` envelope, as the server declares it. */
type Payload<A extends EdenAnswer> = NonNullable<A['data']> extends { data: infer D } ? D : never

async function unwrap<A extends EdenAnswer>(pending: Promise<A>, opts: { login?: boolean } = {}): Promise<Payload<A>> {
  const answer = await pending
  const res = answer.response
  if (!res) {
    const cause = answer.error?.value
    throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause))
  }
  const json = (answer.data ?? answer.error?.value ?? null) as { code?: unknown; message?: unknown; data?: unknown } | null
  if (res.status === 401 && !opts.login) {
    onUnauthorized({ expired: hadSession })
    hadSession = false
  } else if (res.ok) hadSession = true
  if (!res.ok || !json || typeof json !== 'object' || json.code !== 0) {
    const code = typeof json?.code === 'string' ? json.code : `HTTP_${res.status}`
    const message = typeof json?.message === 'string' && json.message ? json.message : res.statusText || code
    throw new ApiError(res.status, code, message)
  }
  return json.data as Payload<A>
}

/** The path of a route (for links the browser downloads itself); naming the route keeps it type-checked. */
function pathOf(route: object): string {
  return (route as Record<'~path', string>)['~path']
}

/** Query values as the browser sends them: empty ones left out. */
function cleanQuery<T extends object>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T
}

export const api = {
  auth: {
    login: (auth_key: string) => unwrap(server.auth.login.post({ auth_key }), { login: true }),
    logout: () => unwrap(server.auth.logout.post()),
    check: () => unwrap(server.auth.check.get()),
  },
  groups: {
    list: () => unwrap(server.groups.get()),
    create: (input: Parameters<typeof server.groups.post>[0]) => unwrap(server.groups.post(input)),
    update: (id: number, input: Parameters<ReturnType<typeof server.groups>['put']>[0]) => unwrap(server.groups({ id }).put(input)),
    remove: (id: number) => unwrap(server.groups({ id }).delete()),
    reorder: (order: Parameters<typeof server.groups.reorder.put>[0]) => unwrap(server.groups.reorder.put(order)),
    copy: (id: number, body: Parameters<ReturnType<typeof server.groups>['copy']['post']>[0]) => unwrap(server.groups({ id }).copy.post(body)),
    stats: (id: number) => unwrap(server.groups({ id }).stats.get()),
    /** an aggregate group's sub-groups with their names */
    subGroups: (id: number) => unwrap(server.groups({ id })['sub-groups'].get()),
  },
  keys: {
    list: (query: KeyListQuery) => unwrap(server.keys.get({ query: cleanQuery(query) })),
    addMultiple: (group_id: number, keys_text: string) => unwrap(server.keys['add-multiple'].post({ group_id, keys_text })),
    addAsync: (group_id: number, keys_text: string) => unwrap(server.keys['add-async'].post({ group_id, keys_text })),
    /** up to 5,000 keys; more go through `deleteAsync` */
    deleteMultiple: (body: Parameters<typeof server.keys['delete-multiple']['post']>[0]) => unwrap(server.keys['delete-multiple'].post(body)),
    deleteAsync: (body: Parameters<typeof server.keys['delete-async']['post']>[0]) => unwrap(server.keys['delete-async'].post(body)),
    restoreMultiple: (body: Parameters<typeof server.keys['restore-multiple']['post']>[0]) => unwrap(server.keys['restore-multiple'].post(body)),
    restoreAllInvalid: (group_id: number) => unwrap(server.keys['restore-all-invalid'].post({ group_id })),
    clearAllInvalid: (group_id: number) => unwrap(server.keys['clear-all-invalid'].post({ group_id })),
    clearAll: (group_id: number) => unwrap(server.keys['clear-all'].post({ group_id })),
    validateGroup: (group_id: number) => unwrap(server.keys['validate-group'].post({ group_id })),
    /** full key values: the table only has masked ones, so callers reveal first */
    test: (group_id: number, keys_text: string) => unwrap(server.keys['test-multiple'].post({ group_id, keys_text })),
    setStatus: (id: number, status: Extract<KeyStatus, 'active' | 'disabled'>) => unwrap(server.keys({ id }).status.put({ status })),
    setNotes: (id: number, notes: string) => unwrap(server.keys({ id }).notes.put({ notes })),
    reveal: (id: number) => unwrap(server.keys({ id }).reveal.get()),
    exportUrl: (group_id: number, status: KeyStatus | 'all') => withQuery(pathOf(server.keys.export), { group_id, status }),
  },
  accessKeys: {
    list: (query: NonNullable<NonNullable<Parameters<(typeof server)['access-keys']['get']>[0]>['query']>) => unwrap(server['access-keys'].get({ query: cleanQuery(query) })),
    /** the answer's `key` is the secret, shown this once */
    create: (body: Parameters<(typeof server)['access-keys']['post']>[0]) => unwrap(server['access-keys'].post(body)),
    update: (id: number, body: Parameters<ReturnType<(typeof server)['access-keys']>['put']>[0]) => unwrap(server['access-keys']({ id }).put(body)),
    remove: (id: number) => unwrap(server['access-keys']({ id }).delete()),
    /** a new secret (in `key`); the old one stops working at once */
    rotate: (id: number) => unwrap(server['access-keys']({ id }).rotate.post()),
    usage: (id: number, query: NonNullable<Parameters<ReturnType<(typeof server)['access-keys']>['usage']['get']>[0]>['query']) =>
      unwrap(server['access-keys']({ id }).usage.get({ query })),
  },
  tasks: { status: () => unwrap(server.tasks.status.get()) },
  logs: {
    list: (query: LogQueryParams) => unwrap(server.logs.get({ query: cleanQuery(query) })),
    exportUrl: (query: LogQueryParams) => withQuery(pathOf(server.logs.export), query as Query),
  },
  dashboard: {
    stats: () => unwrap(server.dashboard.stats.get()),
    chart: (query: { group_id?: number; metric?: 'requests' | 'cost' | 'tokens' }) => unwrap(server.dashboard.chart.get({ query: cleanQuery(query) })),
    top: (query: Parameters<typeof server.dashboard.top.get>[0]['query']) => unwrap(server.dashboard.top.get({ query: cleanQuery(query) })),
  },
  modelPrices: {
    list: () => unwrap(server['model-prices'].get()),
    /** replaces the whole list */
    replace: (prices: Parameters<(typeof server)['model-prices']['put']>[0]['prices']) => unwrap(server['model-prices'].put({ prices })),
    /** back to the list keypool ships */
    reset: () => unwrap(server['model-prices'].reset.post()),
  },
  alerts: {
    /** `{index}` of a saved webhook or `{url, format}` of one being edited */
    test: (body: Parameters<typeof server.alerts.test.post>[0]) => unwrap(server.alerts.test.post(body)),
    history: (page: number, page_size: number) => unwrap(server.alerts.history.get({ query: { page, page_size } })),
  },
  settings: {
    list: () => unwrap(server.settings.get()),
    update: (values: Record<string, unknown>) => unwrap(server.settings.put(values)),
  },
  /**
   * Channel types with the defaults a new group starts from (`/api/channel-types/details`). A GPT-Load server
   * only has the plain names at `/api/channel-types`: then the defaults are empty and the form shows no hints.
   */
  channelTypes: async (): Promise<ChannelTypeInfo[]> => {
    try {
      return await unwrap(server['channel-types'].details.get())
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err
    }
    return (await unwrap(server['channel-types'].get())).map((type) => ({
      type,
      label: type,
      default_upstream: '',
      default_test_model: '',
      default_validation_endpoint: '',
    }))
  },
}
