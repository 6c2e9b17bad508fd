import { Router } from '@solidjs/router'
import { render } from 'solid-js/web'
import { ConfirmHost, Toasts } from './components/Overlays'
import { routes } from './routes'
import './styles/base.css'
import './styles/controls.css'
import './styles/overlays.css'
import './styles/shell.css'
import './styles/pages.css'
import './styles/access.css'

render(
  () => (
    <>
      <Router>{routes}</Router>
      <Toasts />
      <ConfirmHost />
    </>
  ),
  document.getElementById('root')!,
)
