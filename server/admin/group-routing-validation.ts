/**
 * The group fields of model routing (README "Model routing"): `models` (globs the group serves on the root routes),
 * `priority` (its tier, 1 first) and `weight` (its share inside the tier), and a sub-group's `priority` inside an
 * aggregate. Each message names the field at fault.
 */
import { validationError } from '../shared/errors'

/** a model name or a glob of one: `*` any run of characters, `?` one character */
const MODEL_GLOB_RE = /^[A-Za-z0-9._:/@+*?-]{1,200}$/
const MAX_MODELS = 500
export const MAX_PRIORITY = 100

export function modelsOf(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw validationError('models must be an array of model names or globs like "gpt-4o*"')
  const out: string[] = []
  raw.forEach((m, i) => {
    const glob = typeof m === 'string' ? m.trim() : ''
    if (!MODEL_GLOB_RE.test(glob))
      throw validationError(`models[${i}] must be a model name or glob of 1-200 letters, digits, . _ : / @ + - * ?`)
    if (!out.includes(glob)) out.push(glob)
  })
  if (out.length > MAX_MODELS) throw validationError(`models may list at most ${MAX_MODELS} entries`)
  return out
}

export function priorityOf(field: string, raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_PRIORITY)
    throw validationError(`${field} must be an integer from 1 to ${MAX_PRIORITY} (1 is tried first)`)
  return raw
}

export function groupWeightOf(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > 1000)
    throw validationError('weight must be an integer from 0 to 1000')
  return raw
}
