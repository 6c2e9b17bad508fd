/**
 * The one typed client of the admin API. Every call goes through `request`, which unwraps the
 * `{code:0,message,data}` envelope, turns error bodies into `ApiError`, and sends a 401 anywhere back to login.
 * The session is the HttpOnly cookie set by login: the admin key is never kept in the browser.
 */
import type {
  AddKeysResult,
  ChannelTypeInfo,
  ChartData,
  CopyBody,
  DeleteKeysResult,
  RestoreKeysResult,
  DashboardStats,
  GroupInput,
  GroupStats,
  GroupView,
  KeyListQuery,
  KeySelectionBody,
  KeyStatus,
  KeyTestResults,
  KeyView,
  LogQueryParams,
  LogView,
  PagedOf,
  RevealedKey,
  SettingsCategory,
  SubGroupView,
  TaskStatus,
} from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

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

async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      credentials: 'same-origin',
      headers: opts.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    })
  } catch (err) {
    throw new ApiError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err))
  }
  const json = (await res.json().catch(() => null)) as { code?: unknown; message?: unknown; data?: unknown } | null
  if (res.status === 401 && path !== '/api/auth/login') {
    onUnauthorized({ expired: hadSession })
    hadSession = false
  } else if (res.ok) hadSession = true
  if (!res.ok || !json || json.code !== 0) {
    const code = typeof json?.code === 'string' ? json.code : `HTTP_${res.status}`
    const message = typeof json?.message === 'string' && json.message ? json.message : res.statusText || code
    throw new ApiError(res.status, code, message)
  }
  return json.data as T
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query })
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} })
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body })
const del = <T>(path: string) => request<T>('DELETE', path)

export const api = {
  auth: {
    login: (auth_key: string) => post<{ success: boolean; expires_at: number }>('/api/auth/login', { auth_key }),
    logout: () => post<unknown>('/api/auth/logout'),
    check: () => get<{ authenticated: boolean }>('/api/auth/check'),
  },
  groups: {
    list: () => get<GroupView[]>('/api/groups'),
    create: (input: GroupInput) => post<GroupView>('/api/groups', input),
    update: (id: number, input: GroupInput) => put<GroupView>(`/api/groups/${id}`, input),
    remove: (id: number) => del<unknown>(`/api/groups/${id}`),
    reorder: (order: { id: number; sort: number }[]) => put<unknown>('/api/groups/reorder', order),
    copy: (id: number, body: CopyBody) => post<{ group: GroupView; keys_copied: number }>(`/api/groups/${id}/copy`, body),
    stats: (id: number) => get<GroupStats>(`/api/groups/${id}/stats`),
    /** an aggregate group's sub-groups with their names */
    subGroups: (id: number) => get<SubGroupView[]>(`/api/groups/${id}/sub-groups`),
  },
  keys: {
    list: (query: KeyListQuery) => get<PagedOf<KeyView>>('/api/keys', query),
    addMultiple: (group_id: number, keys_text: string) => post<AddKeysResult>('/api/keys/add-multiple', { group_id, keys_text }),
    addAsync: (group_id: number, keys_text: string) => post<TaskStatus>('/api/keys/add-async', { group_id, keys_text }),
    /** up to 5,000 keys; more go through `deleteAsync` */
    deleteMultiple: (body: KeySelectionBody) => post<DeleteKeysResult>('/api/keys/delete-multiple', body),
    deleteAsync: (body: KeySelectionBody) => post<TaskStatus>('/api/keys/delete-async', body),
    restoreMultiple: (body: KeySelectionBody) => post<RestoreKeysResult>('/api/keys/restore-multiple', body),
    restoreAllInvalid: (group_id: number) => post<{ restored_count: number }>('/api/keys/restore-all-invalid', { group_id }),
    clearAllInvalid: (group_id: number) => post<{ deleted_count: number }>('/api/keys/clear-all-invalid', { group_id }),
    clearAll: (group_id: number) => post<{ deleted_count: number }>('/api/keys/clear-all', { group_id }),
    validateGroup: (group_id: number) => post<TaskStatus>('/api/keys/validate-group', { group_id }),
    /** full key values: the table only has masked ones, so callers reveal first */
    test: (group_id: number, keys_text: string) => post<KeyTestResults>('/api/keys/test-multiple', { group_id, keys_text }),
    setStatus: (id: number, status: Extract<KeyStatus, 'active' | 'disabled'>) => put<KeyView>(`/api/keys/${id}/status`, { status }),
    setNotes: (id: number, notes: string) => put<KeyView>(`/api/keys/${id}/notes`, { notes }),
    reveal: (id: number) => get<RevealedKey>(`/api/keys/${id}/reveal`),
    exportUrl: (group_id: number, status: KeyStatus | 'all') => withQuery('/api/keys/export', { group_id, status }),
  },
  tasks: { status: () => get<TaskStatus>('/api/tasks/status') },
  logs: {
    list: (query: LogQueryParams) => get<PagedOf<LogView>>('/api/logs', query as Query),
    exportUrl: (query: LogQueryParams) => withQuery('/api/logs/export', query as Query),
  },
  dashboard: {
    stats: () => get<DashboardStats>('/api/dashboard/stats'),
    chart: (group_id?: number) => get<ChartData>('/api/dashboard/chart', { group_id }),
  },
  settings: {
    list: () => get<SettingsCategory[]>('/api/settings'),
    update: (values: Record<string, unknown>) => put<SettingsCategory[]>('/api/settings', values),
  },
  /**
   * Channel types with the defaults a new group starts from (`/api/channel-types/details`). A GPT-Load server
   * only has the plain names at `/api/channel-types`: then the defaults are empty and the form shows no hints.
   */
  channelTypes: async (): Promise<ChannelTypeInfo[]> => {
    try {
      return await get<ChannelTypeInfo[]>('/api/channel-types/details')
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err
    }
    return (await get<ChannelTypeInfo['type'][]>('/api/channel-types')).map((type) => ({
      type,
      label: type,
      default_upstream: '',
      default_test_model: '',
      default_validation_endpoint: '',
    }))
  },
}
