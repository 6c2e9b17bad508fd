/** A 400 message for Elysia's own schema failures that names the field and says what was expected. */
import type { ValidationError } from 'elysia'

type Schema = Record<string, unknown>

function describe(s: Schema | undefined): string {
  if (!s) return 'a valid value'
  if (Array.isArray(s.enum)) return `one of ${(s.enum as unknown[]).join(', ')}`
  if (Array.isArray(s.anyOf)) {
    // Elysia adds string forms of numbers/booleans; describe the real branch with the outer bounds.
    const real = (s.anyOf as Schema[]).filter((b) => !(b.type === 'string' && typeof b.format === 'string'))
    const { anyOf: _a, ...outer } = s
    return [...new Set(real.map((b) => describe({ ...outer, ...b })))].join(' or ')
  }
  if (s.const !== undefined) return JSON.stringify(s.const)
  const bounds: string[] = []
  if (typeof s.minimum === 'number') bounds.push(`at least ${s.minimum}`)
  if (typeof s.maximum === 'number') bounds.push(`at most ${s.maximum}`)
  if (typeof s.maxLength === 'number') bounds.push(`at most ${s.maxLength} characters`)
  const type = s.type === 'integer' ? 'an integer' : s.type === 'array' ? 'an array' : s.type === 'object' ? 'an object' : `a ${String(s.type ?? 'value')}`
  return bounds.length ? `${type} ${bounds.join(' and ')}` : type
}

export function validationMessage(error: Pick<ValidationError, 'all' | 'type'>): string {
  const first = error.all[0] as { path?: string; message?: string; schema?: Schema; value?: unknown } | undefined
  const field = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : ''
  if (!field) {
    // Elysia reports coerced query/path values without their name ("property").
    const where = error.type === 'body' ? 'the request body' : error.type === 'property' ? 'a query or path parameter' : error.type
    return `${where} must be ${describe(first?.schema)}`
  }
  if (first?.value === undefined || first.message?.includes('required property')) return `${field} is required`
  return `${field} must be ${describe(first?.schema)}`
}
