/** Toast messages: API errors become readable notes; successes confirm long actions. */
import { createSignal } from 'solid-js'
import { ApiError } from '../api/client'

export interface Toast {
  id: number
  kind: 'success' | 'error' | 'info'
  text: string
}

const [toasts, setToasts] = createSignal<Toast[]>([])
export { toasts }
let nextId = 1

export function dismiss(id: number): void {
  setToasts((list) => list.filter((x) => x.id !== id))
}

export function toast(kind: Toast['kind'], text: string): void {
  const id = nextId++
  setToasts((list) => [...list.slice(-4), { id, kind, text }])
  setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000)
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.status ? `${err.message} (${err.code})` : err.message
  return err instanceof Error ? err.message : String(err)
}

/** A 401 is no toast: the client already sends the user to the login page, which says why. */
export function toastError(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) return
  toast('error', errorText(err))
}

/** Runs an action, toasting its error; answers undefined when it failed. 401s are handled by the client. */
export async function attempt<T>(action: () => Promise<T>, success?: string | ((value: T) => string)): Promise<T | undefined> {
  try {
    const value = await action()
    if (success) toast('success', typeof success === 'string' ? success : success(value))
    return value
  } catch (err) {
    toastError(err)
    return undefined
  }
}
