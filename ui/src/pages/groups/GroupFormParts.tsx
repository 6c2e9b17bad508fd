/** The list-like parts of the group form: upstreams, header rules, model redirects, setting overrides. */
import { For, Show } from 'solid-js'
import type { SetStoreFunction } from 'solid-js/store'
import type { SettingItem } from '../../api/types'
import { Icon } from '../../components/Icon'
import { t } from '../../i18n'
import { settingName } from '../settings/setting-text'
import { row, type FormErrors, type GroupFormState } from './group-form'

interface PartProps {
  form: GroupFormState
  set: SetStoreFunction<GroupFormState>
  errors: FormErrors
}

export function UpstreamsEditor(props: PartProps & { placeholder: string }) {
  return (
    <div class="rows-editor">
      <For each={props.form.upstreams}>
        {(r, i) => (
          <div class="row">
            <input
              type="url"
              placeholder={props.placeholder || 'https://api.example.com'}
              value={r.value.url}
              onInput={(e) => props.set('upstreams', i(), 'value', 'url', e.currentTarget.value)}
              aria-label={t('form.upstreamUrl')}
              data-testid="upstream-url"
            />
            <input
              type="number"
              min="0"
              style={{ width: '90px' }}
              value={r.value.weight}
              onInput={(e) => props.set('upstreams', i(), 'value', 'weight', Number(e.currentTarget.value))}
              aria-label={t('form.weight')}
              title={t('form.weight')}
            />
            <button type="button" class="icon-btn danger" onClick={() => props.set('upstreams', (l) => l.filter((x) => x.id !== r.id))} aria-label={t('common.remove')}>
              <Icon name="trash" />
            </button>
          </div>
        )}
      </For>
      <Show when={props.errors.upstreams || props.errors.upstream_url}>
        <div class="field-error">{props.errors.upstreams ?? props.errors.upstream_url}</div>
      </Show>
      <div>
        <button type="button" class="btn sm" onClick={() => props.set('upstreams', (l) => [...l, row({ url: '', weight: 1 })])}>
          <Icon name="plus" size={14} />
          {t('form.addUpstream')}
        </button>
      </div>
    </div>
  )
}

export function HeaderRulesEditor(props: PartProps) {
  return (
    <div class="rows-editor">
      <For each={props.form.header_rules}>
        {(r, i) => (
          <div class="row">
            <input placeholder={t('form.headerKey')} value={r.value.key} onInput={(e) => props.set('header_rules', i(), 'value', 'key', e.currentTarget.value)} />
            <select value={r.value.action} onChange={(e) => props.set('header_rules', i(), 'value', 'action', e.currentTarget.value as 'set' | 'remove')}>
              <option value="set">{t('form.action.set')}</option>
              <option value="remove">{t('form.action.remove')}</option>
            </select>
            <input
              placeholder={t('form.headerValue')}
              value={r.value.value}
              disabled={r.value.action === 'remove'}
              onInput={(e) => props.set('header_rules', i(), 'value', 'value', e.currentTarget.value)}
            />
            <button type="button" class="icon-btn danger" onClick={() => props.set('header_rules', (l) => l.filter((x) => x.id !== r.id))} aria-label={t('common.remove')}>
              <Icon name="trash" />
            </button>
          </div>
        )}
      </For>
      <div>
        <button type="button" class="btn sm" onClick={() => props.set('header_rules', (l) => [...l, row({ key: '', value: '', action: 'set' as const })])}>
          <Icon name="plus" size={14} />
          {t('form.addHeaderRule')}
        </button>
      </div>
    </div>
  )
}

export function RedirectsEditor(props: PartProps) {
  return (
    <div class="rows-editor">
      <For each={props.form.redirects}>
        {(r, i) => (
          <div class="row">
            <input placeholder={t('form.modelFrom')} value={r.value.from} onInput={(e) => props.set('redirects', i(), 'value', 'from', e.currentTarget.value)} />
            <span class="faint">→</span>
            <input placeholder={t('form.modelTo')} value={r.value.to} onInput={(e) => props.set('redirects', i(), 'value', 'to', e.currentTarget.value)} />
            <button type="button" class="icon-btn danger" onClick={() => props.set('redirects', (l) => l.filter((x) => x.id !== r.id))} aria-label={t('common.remove')}>
              <Icon name="trash" />
            </button>
          </div>
        )}
      </For>
      <div class="row">
        <button type="button" class="btn sm" onClick={() => props.set('redirects', (l) => [...l, row({ from: '', to: '' })])}>
          <Icon name="plus" size={14} />
          {t('form.addRedirect')}
        </button>
        <span class="spacer" />
        <label class="check">
          <input type="checkbox" checked={props.form.model_redirect_strict} onChange={(e) => props.set('model_redirect_strict', e.currentTarget.checked)} />
          {t('form.modelRedirectStrict')}
        </label>
      </div>
    </div>
  )
}

/** Each overridable setting with the system value as placeholder: empty means "use the system value". */
export function ConfigOverrides(props: PartProps & { settings: SettingItem[] }) {
  return (
    <div class="grid-2">
      <For each={props.settings.filter((s) => s.group_override)}>
        {(s) => (
          <label class="field">
            <span>{settingName(s)}</span>
            <Show
              when={s.type === 'bool'}
              fallback={
                <input
                  type={s.type === 'int' ? 'number' : 'text'}
                  min={s.min_value}
                  max={s.max_value}
                  placeholder={String(s.value)}
                  value={props.form.config[s.key] ?? ''}
                  onInput={(e) => props.set('config', s.key, e.currentTarget.value)}
                  data-testid={`config-${s.key}`}
                />
              }
            >
              <select value={props.form.config[s.key] ?? ''} onChange={(e) => props.set('config', s.key, e.currentTarget.value)}>
                <option value="">{t('form.useSystem', { value: s.value ? t('common.yes') : t('common.no') })}</option>
                <option value="true">{t('common.yes')}</option>
                <option value="false">{t('common.no')}</option>
              </select>
            </Show>
          </label>
        )}
      </For>
    </div>
  )
}
