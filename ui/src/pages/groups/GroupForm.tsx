/** Create or edit a group: every field of the API, checked here first, server errors shown inline and as a toast. */
import { createEffect, createSignal, For, on, Show } from 'solid-js'
import { createStore } from 'solid-js/store'
import { api } from '../../api/client'
import type { ChannelTypeInfo, GroupView, SettingItem } from '../../api/types'
import { FormFooter } from '../../components/FormFooter'
import { Modal } from '../../components/Modal'
import { t } from '../../i18n'
import { errorText, toast } from '../../lib/toast'
import { channelDefaults, emptyForm, formFromGroup, row, toGroupInput, type FormErrors, type GroupFormState } from './group-form'
import { ConfigOverrides, HeaderRulesEditor, RedirectsEditor, UpstreamsEditor } from './GroupFormParts'
import { SubGroupsEditor } from './SubGroupsEditor'

export function GroupForm(props: {
  group?: GroupView
  channelTypes: ChannelTypeInfo[]
  /** every group: an aggregate picks its sub-groups among them */
  groups: GroupView[]
  settings: SettingItem[]
  onClose: () => void
  onSaved: (g: GroupView) => void
}) {
  const first = props.channelTypes[0]
  const [form, set] = createStore<GroupFormState>(props.group ? formFromGroup(props.group) : emptyForm(first?.type, ''))
  const [errors, setErrors] = createSignal<FormErrors>({})
  const [serverError, setServerError] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const info = (type: string) => props.channelTypes.find((c) => c.type === type)
  const channel = () => info(form.channel_type)

  /** Switches the channel type and fills the upstream URL and test model with its defaults where still untouched. */
  const chooseChannel = (type: string, prev = channel()) => {
    const d = channelDefaults(form, prev, info(type))
    set('channel_type', type)
    if (d.upstream_url !== undefined)
      set('upstreams', (l) => (l.length ? [{ ...l[0]!, value: { ...l[0]!.value, url: d.upstream_url! } }] : [row({ url: d.upstream_url!, weight: 1 })]))
    if (d.test_model !== undefined) set('test_model', d.test_model)
  }
  // A new group starts from the first channel type's defaults, once the types have loaded.
  createEffect(
    on(
      () => props.channelTypes,
      (types) => {
        if (props.group || types.length === 0) return
        chooseChannel(info(form.channel_type) ? form.channel_type : types[0]!.type, undefined)
      },
    ),
  )

  const submit = async (e: Event) => {
    e.preventDefault()
    const result = toGroupInput(form, (id) => props.groups.find((g) => g.id === id)?.channel_type)
    if ('errors' in result) return setErrors(result.errors)
    setErrors({})
    setServerError('')
    setBusy(true)
    try {
      const saved = props.group ? await api.groups.update(props.group.id, result.input) : await api.groups.create(result.input)
      toast('success', t('groups.saved'))
      props.onSaved(saved)
    } catch (err) {
      setServerError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const text = (key: 'name' | 'display_name' | 'description' | 'test_model' | 'validation_endpoint') => ({
    value: form[key],
    onInput: (e: InputEvent & { currentTarget: HTMLInputElement }) => set(key, e.currentTarget.value),
  })

  return (
    <Modal
      wide
      title={props.group ? t('form.editTitle', { name: props.group.name }) : t('form.createTitle')}
      onClose={props.onClose}
      footer={<FormFooter form="group-form" error={serverError()} busy={busy()} onCancel={props.onClose} saveTestId="group-save" />}
    >
      <form id="group-form" onSubmit={submit} style={{ display: 'contents' }}>
        <section class="form-section">
          <h3>{t('form.basic')}</h3>
          <div class="grid-2">
            <label class="field" classList={{ invalid: !!errors().name }}>
              <span>{t('form.name')}</span>
              <input {...text('name')} required placeholder="openai" data-testid="group-name" />
              <span class={errors().name ? 'field-error' : 'hint'}>{errors().name ?? t('form.nameHint')}</span>
            </label>
            <label class="field">
              <span>{t('form.displayName')}</span>
              <input {...text('display_name')} />
            </label>
            <label class="field">
              <span>{t('form.channelType')}</span>
              <select value={form.channel_type} onChange={(e) => chooseChannel(e.currentTarget.value)} data-testid="group-channel">
                <For each={props.channelTypes}>{(c) => <option value={c.type}>{c.label}</option>}</For>
              </select>
            </label>
            <label class="field">
              <span>{t('form.groupType')}</span>
              <select
                value={form.group_type}
                onChange={(e) => set('group_type', e.currentTarget.value as GroupFormState['group_type'])}
                data-testid="group-type"
              >
                <option value="standard">{t('form.groupType.standard')}</option>
                <option value="aggregate">{t('form.groupType.aggregate')}</option>
              </select>
            </label>
          </div>
          <label class="field">
            <span>{t('form.description')}</span>
            <input {...text('description')} />
          </label>
        </section>

        <section class="form-section" data-testid="group-routing">
          <h3>{t('form.routing')}</h3>
          <span class="hint faint">{t('form.routingHint', { url: location.origin })}</span>
          <label class="field">
            <span>{t('form.models')}</span>
            <textarea rows={2} value={form.models} onInput={(e) => set('models', e.currentTarget.value)} placeholder="gpt-4o*" data-testid="group-models" />
            <span class="hint">{t('form.modelsHint')}</span>
          </label>
          <div class="grid-2">
            <label class="field" classList={{ invalid: !!errors().priority }}>
              <span>{t('form.priority')}</span>
              <input type="number" min="1" max="100" value={form.priority} onInput={(e) => set('priority', Number(e.currentTarget.value))} data-testid="group-priority" />
              <span class={errors().priority ? 'field-error' : 'hint'}>{errors().priority ?? t('form.priorityHint')}</span>
            </label>
            <label class="field">
              <span>{t('form.routeWeight')}</span>
              <input type="number" min="0" max="1000" value={form.weight} onInput={(e) => set('weight', Number(e.currentTarget.value))} data-testid="group-weight" />
              <span class="hint">{t('form.routeWeightHint')}</span>
            </label>
          </div>
        </section>

        <Show when={form.group_type === 'aggregate'}>
          <section class="form-section">
            <h3>{t('form.subGroups')}</h3>
            <SubGroupsEditor form={form} set={set} errors={errors()} groups={props.groups} selfId={props.group?.id} />
          </section>
        </Show>
        <Show when={form.group_type === 'standard'}>
          <section class="form-section">
            <h3>{t('form.upstreams')}</h3>
            <UpstreamsEditor form={form} set={set} errors={errors()} placeholder={channel()?.default_upstream ?? ''} />
          </section>
          <section class="form-section">
            <h3>{t('form.validation')}</h3>
            <div class="grid-2">
              <label class="field">
                <span>{t('form.testModel')}</span>
                <input {...text('test_model')} placeholder={channel()?.default_test_model} data-testid="group-test-model" />
              </label>
              <label class="field">
                <span>{t('form.validationEndpoint')}</span>
                <input {...text('validation_endpoint')} placeholder={channel()?.default_validation_endpoint} />
              </label>
            </div>
          </section>
        </Show>

        <section class="form-section">
          <h3>{t('form.advanced')}</h3>
          <label class="field">
            <span>{t('form.proxyKeys')}</span>
            <textarea rows={2} value={form.proxy_keys} onInput={(e) => set('proxy_keys', e.currentTarget.value)} />
            <span class="hint">{t('form.proxyKeysHint')}</span>
          </label>
          <div class="field">
            <span>{t('form.headerRules')}</span>
            <HeaderRulesEditor form={form} set={set} errors={errors()} />
          </div>
          <label class="field" classList={{ invalid: !!errors().param_overrides }}>
            <span>{t('form.paramOverrides')}</span>
            <textarea rows={3} value={form.param_overrides} onInput={(e) => set('param_overrides', e.currentTarget.value)} placeholder='{"temperature": 0.7}' />
            <span class={errors().param_overrides ? 'field-error' : 'hint'}>{errors().param_overrides ?? t('form.paramOverridesHint')}</span>
          </label>
          <div class="field">
            <span>{t('form.modelRedirect')}</span>
            <RedirectsEditor form={form} set={set} errors={errors()} />
          </div>
        </section>

        <section class="form-section">
          <h3>{t('form.config')}</h3>
          <span class="hint faint">{t('form.configHint')}</span>
          <ConfigOverrides form={form} set={set} errors={errors()} settings={props.settings} />
        </section>
      </form>
    </Modal>
  )
}
