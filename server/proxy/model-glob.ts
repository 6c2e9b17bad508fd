/**
 * A group's `models`: names or globs (`*` any run of characters, `?` one), matched case-insensitively against the
 * model a request names. Compiled once per group build into one regular expression.
 */

export type ModelMatcher = (model: string) => boolean

const escape = (s: string) => s.replace(/[.+^${}()|[\]\\/]/g, '\\$&')

/** null when the list is empty: the group is not reachable by model, only as /proxy/{name}. */
export function modelMatcher(globs: readonly string[]): ModelMatcher | null {
  if (globs.length === 0) return null
  if (globs.includes('*')) return () => true
  const source = globs.map((g) => escape(g).replace(/\*/g, '.*').replace(/\?/g, '.')).join('|')
  const re = new RegExp(`^(?:${source})$`, 'i')
  return (model) => re.test(model)
}

/** A glob without wildcards names one model: the root model lists show those. */
export function isConcreteModel(glob: string): boolean {
  return !glob.includes('*') && !glob.includes('?')
}
