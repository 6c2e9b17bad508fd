/** A promise-based confirm dialog (rendered by <ConfirmHost/>) instead of the blocking window.confirm. */
import { createSignal } from 'solid-js'

export interface ConfirmRequest {
  text: string
  danger: boolean
  resolve: (ok: boolean) => void
}

const [pending, setPending] = createSignal<ConfirmRequest | null>(null)
export { pending as pendingConfirm }

export function confirmAction(text: string, danger = true): Promise<boolean> {
  return new Promise((resolve) => {
    setPending({
      text,
      danger,
      resolve: (ok) => {
        setPending(null)
        resolve(ok)
      },
    })
  })
}
