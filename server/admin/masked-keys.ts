/**
 * Lists show keys masked (`sk-ab…wxyz`), and GPT-Load's web admin sends a listed value back to test, delete or
 * restore that key. Applied after the key list is parsed: each masked value becomes the one key of the group whose
 * mask it is; a mask that fits no key, or several, is refused by name (it is masked, so naming it reveals nothing).
 */
import type { ApiKey } from '../../db/types'
import { maskKey } from '../shared/mask'
import { validationError } from '../shared/errors'

/** maskKey's ellipsis: a real key never holds it (keys are visible ASCII). */
const ELLIPSIS = '…'

export const isMaskedKey = (value: string) => value.includes(ELLIPSIS)

/** `values` with each masked value replaced by the full key of `groupKeys` it names. */
export function unmaskKeys(values: string[], groupKeys: readonly ApiKey[]): string[] {
  if (!values.some(isMaskedKey)) return values
  const byMask = new Map<string, string[]>()
  for (const k of groupKeys) {
    const m = maskKey(k.key_value)
    const same = byMask.get(m)
    if (same) same.push(k.key_value)
    else byMask.set(m, [k.key_value])
  }
  return values.map((v) => {
    if (!isMaskedKey(v)) return v
    const found = byMask.get(v) ?? []
    if (found.length === 0) throw validationError(`keys_text: ${v} is a masked value that matches no key of the group`)
    if (found.length > 1)
      throw validationError(`keys_text: ${v} is a masked value that matches ${found.length} keys of the group; send the full key or use key_ids`)
    return found[0]!
  })
}
