/** Sign-in: the admin key goes to the server once; the answer is an HttpOnly session cookie. */
import { useNavigate, useSearchParams } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import { api } from '../../api/client'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { errorText } from '../../lib/toast'

export default function Login() {
  const navigate = useNavigate()
  const [params] = useSearchParams<{ expired?: string; next?: string }>()
  const [key, setKey] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal('')

  const submit = async (e: SubmitEvent) => {
    e.preventDefault()
    setBusy(true)
    setError('')
    try {
      await api.auth.login(key())
      setKey('') // do not keep the admin key in memory longer than needed
      const next = params.next && params.next.startsWith('/') && !params.next.startsWith('//') ? params.next : '/'
      navigate(next, { replace: true })
    } catch (err) {
      setError(t('login.failed', { message: errorText(err) }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit}>
        <div class="brand-mark big">
          <Icon name="key" size={26} />
        </div>
        <h1>{t('login.title')}</h1>
        <p class="muted">{t('login.subtitle')}</p>
        <Show when={params.expired && !error()}>
          <div class="notice">{t('login.expired')}</div>
        </Show>
        <label class="field">
          <span>{t('login.key')}</span>
          <input
            type="password"
            name="auth_key"
            autocomplete="current-password"
            value={key()}
            onInput={(e) => setKey(e.currentTarget.value)}
            required
            autofocus
          />
        </label>
        <Show when={error()}>
          <div class="field-error" role="alert">
            {error()}
          </div>
        </Show>
        <button class="btn primary block" type="submit" disabled={busy() || !key()}>
          {busy() ? t('common.loading') : t('login.submit')}
        </button>
      </form>
    </div>
  )
}
