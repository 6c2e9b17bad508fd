/**
 * Alerts page data: the alert settings as an editable draft (webhooks as rows, the four numbers as text), saved
 * as one PUT /api/settings; a test per webhook row; one server page of the history.
 */
import { createResource, createSignal } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { api } from '../../api/client'
import type { AlertEventName, AlertFormat, AlertWebhook, SettingItem } from '../../api/types'
import { toastError } from '../../lib/toast'

/** Every format and event the server knows (a Record, so a new one on the server fails the type-check here). */
export const FORMAT_LABELS: Record<AlertFormat, string> = {
  json: 'JSON',
  slack: 'Slack',
  feishu: 'Feishu / Lark',
  dingtalk: 'DingTalk',
  wecom: 'WeCom',
}
const EVENT_SET: Record<AlertEventName, true> = { key_invalidated: true, group_exhausted: true, error_rate: true, budget: true, leader_changed: true }
export const EVENTS = Object.keys(EVENT_SET) as AlertEventName[]
export const FORMATS = Object.keys(FORMAT_LABELS) as AlertFormat[]
export const NUMBER_KEYS = ['alert_error_rate_percent', 'alert_window_minutes', 'alert_min_requests', 'alert_cooldown_minutes'] as const

export interface TestOutcome {
  ok: boolean
  text: string
}

export interface AlertDraft {
  webhooks: AlertWebhook[]
  numbers: Record<string, string>
}

function draftOf(items: SettingItem[]): AlertDraft {
  const value = (key: string) => items.find((s) => s.key === key)?.value
  let webhooks: AlertWebhook[] = []
  try {
    webhooks = JSON.parse(String(value('alert_webhooks') ?? '[]')) as AlertWebhook[]
  } catch {
    // the server validates what it stores; an unreadable value shows as no webhooks
  }
  return { webhooks, numbers: Object.fromEntries(NUMBER_KEYS.map((k) => [k, String(value(k) ?? '')])) }
}

export function createAlertsData() {
  const [draft, setDraft] = createStore<AlertDraft>({ webhooks: [], numbers: {} })
  const [tests, setTests] = createStore<Record<number, TestOutcome | 'busy'>>({})
  const [items, { mutate }] = createResource(async () => {
    try {
      const all = (await api.settings.list()).flatMap((c) => c.settings)
      setDraft(reconcile(draftOf(all)))
      return all
    } catch (err) {
      toastError(err)
      return [] as SettingItem[]
    }
  })
  const [page, setPage] = createSignal(1)
  const [pageSize, setPageSize] = createSignal(20)
  const [history, { refetch }] = createResource(
    () => [page(), pageSize()] as const,
    ([p, size]) => api.alerts.history(p, size).catch((err) => (toastError(err), undefined)),
  )

  const numberItems = () => NUMBER_KEYS.map((k) => (items() ?? []).find((s) => s.key === k)).filter((s): s is SettingItem => !!s)

  return {
    draft,
    setDraft,
    numberItems,
    tests,
    history,
    refetchHistory: refetch,
    setPage,
    setPageSize: (n: number) => {
      setPageSize(n)
      setPage(1)
    },
    addWebhook: () => setDraft('webhooks', (w) => [...w, { url: '', format: 'json', events: [] }]),
    removeWebhook: (i: number) => {
      setDraft('webhooks', (w) => w.filter((_, j) => j !== i))
      setTests(reconcile({}))
    },
    toggleEvent: (i: number, e: AlertEventName) =>
      setDraft('webhooks', i, 'events', (list) => (list.includes(e) ? list.filter((x) => x !== e) : [...list, e])),
    reset: () => setDraft(reconcile(draftOf(items() ?? []))),
    /** the PUT body: the webhooks as a list, the numbers as numbers */
    values: () => ({
      alert_webhooks: draft.webhooks.map((w) => ({ url: w.url.trim(), format: w.format, events: [...w.events] })),
      ...Object.fromEntries(NUMBER_KEYS.map((k) => [k, Number(String(draft.numbers[k] ?? '').trim())])),
    }),
    async save() {
      const saved = await api.settings.update(this.values())
      const all = saved.flatMap((c) => c.settings)
      mutate(all)
      setDraft(reconcile(draftOf(all)))
    },
    async test(i: number, describe: (r: { ok: boolean; status_code: number | null; response: string; error: string }) => string) {
      const w = draft.webhooks[i]
      if (!w) return
      setTests(i, 'busy')
      try {
        const r = await api.alerts.test({ url: w.url.trim(), format: w.format })
        setTests(i, { ok: r.ok, text: describe(r) })
      } catch (err) {
        setTests(i, { ok: false, text: err instanceof Error ? err.message : String(err) })
      }
      void refetch()
    },
  }
}
