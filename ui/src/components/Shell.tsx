/** The signed-in frame: sidebar navigation, language and theme switches, the running task, the page. */
import { A, useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router'
import { For, onMount } from 'solid-js'
import { api, setUnauthorizedHandler } from '../api/client'
import { LANGS, lang, setLang, t, type MessageKey } from '../i18n'
import { setTheme, theme, type ThemeChoice } from '../lib/theme'
import { watchTask } from '../lib/tasks'
import { Icon, type IconName } from './Icon'
import { TaskBanner } from './Overlays'

const NAV: { href: string; label: MessageKey; icon: IconName; end?: boolean }[] = [
  { href: '/', label: 'nav.dashboard', icon: 'dashboard', end: true },
  { href: '/groups', label: 'nav.groups', icon: 'groups' },
  { href: '/access-keys', label: 'nav.accessKeys', icon: 'badge' },
  { href: '/logs', label: 'nav.logs', icon: 'logs' },
  { href: '/alerts', label: 'nav.alerts', icon: 'bell' },
  { href: '/settings', label: 'nav.settings', icon: 'settings' },
]
const THEMES: { id: ThemeChoice; icon: IconName; label: MessageKey }[] = [
  { id: 'light', icon: 'sun', label: 'theme.light' },
  { id: 'dark', icon: 'moon', label: 'theme.dark' },
  { id: 'system', icon: 'monitor', label: 'theme.system' },
]

export function Shell(props: RouteSectionProps) {
  const navigate = useNavigate()
  const location = useLocation()
  setUnauthorizedHandler(({ expired }) => {
    if (location.pathname === '/login') return
    const next = `next=${encodeURIComponent(location.pathname)}`
    navigate(`/login?${expired ? 'expired=1&' : ''}${next}`, { replace: true })
  })
  // Checks the session at once (a 401 goes to login) and picks up a task started before this page loaded.
  onMount(() => {
    api.tasks
      .status()
      .then((s) => {
        if (s.is_running) void watchTask(s)
      })
      .catch(() => {})
  })

  const logout = async () => {
    await api.auth.logout().catch(() => {})
    navigate('/login', { replace: true })
  }

  return (
    <div class="shell">
      <aside class="sidebar">
        <div class="brand">
          <div class="brand-mark">
            <Icon name="key" size={18} />
          </div>
          <div>
            <div class="brand-name">{t('app.name')}</div>
            <div class="brand-sub">{t('app.tagline')}</div>
          </div>
        </div>
        <nav class="nav">
          <For each={NAV}>
            {(item) => (
              <A href={item.href} end={item.end} class="nav-link" activeClass="active">
                <Icon name={item.icon} size={18} />
                <span>{t(item.label)}</span>
              </A>
            )}
          </For>
        </nav>
        <div class="sidebar-foot">
          <label class="foot-row">
            <Icon name="globe" />
            <select value={lang()} onChange={(e) => setLang(e.currentTarget.value as (typeof LANGS)[number]['id'])} aria-label={t('nav.language')} data-testid="lang-select">
              <For each={LANGS}>{(l) => <option value={l.id}>{l.label}</option>}</For>
            </select>
          </label>
          <div class="segmented" role="radiogroup" aria-label={t('nav.theme')}>
            <For each={THEMES}>
              {(item) => (
                <button
                  role="radio"
                  aria-checked={theme() === item.id}
                  classList={{ on: theme() === item.id }}
                  title={t(item.label)}
                  aria-label={t(item.label)}
                  data-testid={`theme-${item.id}`}
                  onClick={() => setTheme(item.id)}
                >
                  <Icon name={item.icon} />
                </button>
              )}
            </For>
          </div>
          <button class="nav-link logout" onClick={logout} title={t('nav.logout')} aria-label={t('nav.logout')}>
            <Icon name="logout" size={18} />
            <span>{t('nav.logout')}</span>
          </button>
        </div>
      </aside>
      <main class="main">
        <TaskBanner />
        {props.children}
      </main>
    </div>
  )
}
