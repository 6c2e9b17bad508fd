/** A complete group row from a name and the fields that differ: every other field at its empty default. */
import type { NewGroup } from './types'

export function newGroup(name: string, over: Partial<NewGroup> = {}): NewGroup {
  return {
    name,
    display_name: name,
    description: '',
    group_type: 'standard',
    channel_type: 'openai',
    upstreams: [],
    test_model: 'gpt-4o-mini',
    validation_endpoint: '',
    param_overrides: {},
    model_redirect_rules: {},
    model_redirect_strict: false,
    header_rules: [],
    config: {},
    proxy_keys: '',
    sub_groups: [],
    sort: 0,
    models: [],
    priority: 1,
    weight: 1,
    ...over,
  }
}
