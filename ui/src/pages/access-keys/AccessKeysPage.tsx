/** Access keys: the list with usage against budget, and the dialogs to create, edit, rotate and chart a key. */
import { createSignal, Show } from 'solid-js'
import type { AccessKeyView } from '../../api/types'
import { Icon } from '../../components/Icon'
import { Pager } from '../../components/Pager'
import { LoadingBar } from '../../components/Progress'
import { SecretOnce } from '../../components/SecretOnce'
import { t } from '../../i18n'
import { AccessKeyForm } from './AccessKeyForm'
import { AccessKeyTable } from './AccessKeyTable'
import { createAccessKeysData } from './access-keys.data'
import { UsageDrawer } from './UsageDrawer'

/** The form open for a new key (`'new'`) or for an existing one. */
type Editing = 'new' | AccessKeyView

export default function AccessKeysPage() {
  const d = createAccessKeysData()
  const [editing, setEditing] = createSignal<Editing | null>(null)
  const [charted, setCharted] = createSignal<AccessKeyView | null>(null)
  return (
    <div class="page">
      <div class="page-head">
        <div>
          <h1>{t('ak.title')}</h1>
          <div class="muted">{t('ak.subtitle')}</div>
        </div>
        <span class="spacer" />
        <button class="btn sm ghost" onClick={() => d.refetch()}>
          <Icon name="refresh" size={14} />
          {t('common.refresh')}
        </button>
        <button class="btn primary" onClick={() => setEditing('new')} data-testid="ak-new">
          <Icon name="plus" size={14} />
          {t('ak.new')}
        </button>
      </div>
      <div class="card">
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault()
            d.searchFor(new FormData(e.currentTarget).get('name')?.toString() ?? '')
          }}
        >
          <input type="search" name="name" placeholder={t('ak.search')} aria-label={t('ak.search')} value={d.search()} data-testid="ak-search" />
          <button class="btn sm" type="submit">
            <Icon name="search" size={14} />
            {t('common.search')}
          </button>
        </form>
        <LoadingBar when={d.loading()} />
        <Show
          when={d.rows.items.length || d.loading() || d.search()}
          fallback={
            <div class="empty" data-testid="ak-empty">
              <Icon name="badge" size={28} />
              {t('ak.empty')}
            </div>
          }
        >
          <AccessKeyTable
            keys={d.rows.items}
            onEdit={(k) => setEditing(k)}
            onChart={(k) => setCharted(k)}
            onToggle={(k) => d.setEnabled(k, !k.enabled)}
            onRotate={(k) => d.rotate(k)}
            onDelete={(k) => d.remove(k)}
          />
          <Show when={d.search() && !d.loading() && d.rows.items.length === 0}>
            <div class="empty">{t('ak.noMatch')}</div>
          </Show>
        </Show>
        <Pager pagination={d.rows.pagination} onPage={d.setPage} onPageSize={d.setPageSize} />
      </div>
      {/* keyed: the dialogs get the value itself, so closing one never reads a cleared signal */}
      <Show when={editing()} keyed>
        {(e) => (
          <AccessKeyForm
            accessKey={e === 'new' ? undefined : e}
            groups={d.groups()}
            onClose={() => setEditing(null)}
            onCreated={(k) => {
              d.created(k)
              setEditing(null)
            }}
            onSaved={(k) => {
              d.saved(k)
              setEditing(null)
            }}
          />
        )}
      </Show>
      <Show when={charted()} keyed>
        {(k) => <UsageDrawer accessKey={k} onClose={() => setCharted(null)} />}
      </Show>
      <Show when={d.secret()} keyed>
        {(s) => <SecretOnce title={t('ak.secretTitle', { name: s.name })} secret={s.key} onClose={d.closeSecret} />}
      </Show>
    </div>
  )
}
