import { t } from '../i18n'
import { toast, toastError } from './toast'

/** Copies text; `navigator.clipboard` needs a secure context, so plain-HTTP hosts use a hidden textarea. */
export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text)
    else {
      const area = document.createElement('textarea')
      area.value = text
      area.style.position = 'fixed'
      area.style.opacity = '0'
      document.body.append(area)
      area.select()
      document.execCommand('copy')
      area.remove()
    }
    toast('success', t('common.copied'))
  } catch (err) {
    toastError(err)
  }
}
