import { A } from '@solidjs/router'
import { t } from '../i18n'

export default function NotFound() {
  return (
    <div class="page">
      <div class="empty">
        <h1>404</h1>
        <A href="/" class="btn primary">
          {t('nav.dashboard')}
        </A>
      </div>
    </div>
  )
}
