/** The current language as a signal; `t(key, params)` reads it, so every text re-renders on a switch. */
import { createSignal } from 'solid-js'
import { en, type MessageKey } from './en'
import { ja } from './ja'
import { zhCN } from './zh-CN'

export type Lang = 'en' | 'zh-CN' | 'ja'
export const LANGS: { id: Lang; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
  { id: 'ja', label: '日本語' },
]
const DICTS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN, ja }
const STORAGE_KEY = 'keypool.lang'

/** The language a browser tag such as `ja-JP` or `zh-TW` asks for, when we have it. */
function fromBrowserTag(tag: string): Lang | undefined {
  const primary = tag.toLowerCase().split('-')[0]
  return primary === 'zh' ? 'zh-CN' : primary === 'ja' ? 'ja' : primary === 'en' ? 'en' : undefined
}

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY)
  if (LANGS.some((l) => l.id === saved)) return saved as Lang
  // The first of the browser's preferred languages we speak; English when none is.
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language]
  for (const tag of wanted) {
    const found = fromBrowserTag(tag)
    if (found) return found
  }
  return 'en'
}

const [lang, setLangSignal] = createSignal<Lang>(initialLang())
document.documentElement.lang = lang()
export { lang }

export function setLang(next: Lang): void {
  localStorage.setItem(STORAGE_KEY, next)
  document.documentElement.lang = next
  setLangSignal(next)
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = DICTS[lang()][key]
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** `t` for keys built at run time (status names, task types); falls back to the raw id. */
export function tDynamic(key: string, fallback = key): string {
  return key in en ? t(key as MessageKey) : fallback
}

export type { MessageKey }
