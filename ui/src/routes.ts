/** The routes table: each page is a lazy chunk, loaded the first time it is visited. */
import type { RouteDefinition } from '@solidjs/router'
import { lazy } from 'solid-js'
import { Shell } from './components/Shell'

export const routes: RouteDefinition[] = [
  { path: '/login', component: lazy(() => import('./pages/login/Login')) },
  {
    path: '/',
    component: Shell,
    children: [
      { path: '/', component: lazy(() => import('./pages/dashboard/Dashboard')) },
      { path: '/groups/:id?', component: lazy(() => import('./pages/groups/GroupsPage')) },
      { path: '/access-keys', component: lazy(() => import('./pages/access-keys/AccessKeysPage')) },
      { path: '/logs', component: lazy(() => import('./pages/logs/LogsPage')) },
      { path: '/alerts', component: lazy(() => import('./pages/alerts/AlertsPage')) },
      { path: '/settings', component: lazy(() => import('./pages/settings/SettingsPage')) },
      { path: '*', component: lazy(() => import('./pages/NotFound')) },
    ],
  },
]
