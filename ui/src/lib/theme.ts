/** Light/dark theme: a saved choice ('system' follows the OS) applied as `data-theme` on <html>. */
import { createSignal } from 'solid-js'

export type ThemeChoice = 'light' | 'dark' | 'system'
const STORAGE_KEY = 'keypool.theme'
const media = matchMedia('(prefers-color-scheme: dark)')

function read(): ThemeChoice {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'light' || saved === 'dark' ? saved : 'system'
}

const [theme, setThemeSignal] = createSignal<ThemeChoice>(read())
export { theme }

export function effectiveTheme(): 'light' | 'dark' {
  const choice = theme()
  return choice === 'system' ? (media.matches ? 'dark' : 'light') : choice
}

function apply(): void {
  document.documentElement.dataset.theme = effectiveTheme()
}

export function setTheme(next: ThemeChoice): void {
  localStorage.setItem(STORAGE_KEY, next)
  setThemeSignal(next)
  apply()
}

media.addEventListener('change', () => theme() === 'system' && apply())
apply()
