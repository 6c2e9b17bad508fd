/** Why a request cannot be translated: always names the field, answered as a 400 in the caller's shape. */
export class TranslateError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`)
  }
}

/** Collects the fields a target cannot honour, for the `x-keypool-dropped-params` answer header. */
export class Dropped {
  readonly names: string[] = []
  add(name: string): void {
    if (!this.names.includes(name)) this.names.push(name)
  }
  /** Names each key of `obj` that is present (not undefined / null). */
  ifSet(obj: object, keys: readonly string[], prefix = ''): void {
    const o = obj as Record<string, unknown>
    for (const k of keys) if (o[k] !== undefined && o[k] !== null) this.add(prefix + k)
  }
}

export const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/** JSON.parse of tool-call arguments; bad JSON cannot be expressed as a structured input. */
export function parseArguments(text: string | undefined, field: string): Record<string, unknown> {
  if (text !== undefined && typeof text !== 'string') throw new TranslateError(field, 'must be a string of JSON')
  if (!text || !text.trim()) return {}
  try {
    const v: unknown = JSON.parse(text)
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {}
  throw new TranslateError(field, 'tool call arguments are not a JSON object')
}

/** Tool-call arguments inside a stream may be cut; a finished one that is not JSON becomes {} rather than an error. */
export function argumentsOrEmpty(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text || '{}')
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v }
  } catch {
    return {}
  }
}

/** A JSON object, or a TranslateError naming the field. */
export function objectAt<T>(v: unknown, field: string): T {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TranslateError(field, 'must be an object')
  return v as T
}

/** A list of JSON objects (messages, parts, items), or a TranslateError naming the field. */
export function objectsAt<T>(v: unknown, field: string): T[] {
  if (!Array.isArray(v)) throw new TranslateError(field, 'must be an array')
  v.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new TranslateError(`${field}[${i}]`, 'must be an object')
  })
  return v as T[]
}
