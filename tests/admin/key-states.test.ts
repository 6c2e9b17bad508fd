/**
 * GPT-Load's web admin knows two key states and shows anything but `active` as invalid (issue 15 item 6): `status`
 * answers in its terms, `state` keeps keypool's four.
 */
import { describe, expect, test } from 'bun:test'
import type { KeyView, PagedOf } from '../../server/admin/schemas'
import { createTestApp, data, json, makeGroup } from './support'

describe('key states for GPT-Load', () => {
  test('cooling and disabled keys are not shown as invalid; state keeps the precise value', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const values = ['sk-state-active-0001', 'sk-state-coolng-0002', 'sk-state-invald-0003', 'sk-state-disabl-0004']
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: values.join(' ') })))
    const id = Object.fromEntries((await app.deps.store.groupKeys(g.id)).map((k) => [k.key_value, k.id]))
    await app.deps.store.setKeyStatus([id[values[1]!]!], 'cooling')
    await app.deps.store.setKeyStatus([id[values[2]!]!], 'invalid')
    await data(app.api(`/api/keys/${id[values[3]!]}/status`, json('PUT', { status: 'disabled' })))
    const items = (await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${g.id}`))).items
    const byId = Object.fromEntries(items.map((k) => [k.id, { status: k.status, state: k.state }]))
    expect(values.map((v) => byId[id[v]!])).toEqual([
      { status: 'active', state: 'active' },
      { status: 'active', state: 'cooling' },
      { status: 'invalid', state: 'invalid' },
      { status: 'active', state: 'disabled' },
    ])
    // the filter still takes keypool's states exactly
    const disabled = (await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${g.id}&status=disabled`))).items
    expect(disabled.map((k) => [k.id, k.state])).toEqual([[id[values[3]!]!, 'disabled']])
    // answers of single-key writes carry both too
    const enabled = await data<KeyView>(app.api(`/api/keys/${id[values[3]!]}/status`, json('PUT', { status: 'active' })))
    expect({ status: enabled.status, state: enabled.state }).toEqual({ status: 'active', state: 'active' })
  })
})
