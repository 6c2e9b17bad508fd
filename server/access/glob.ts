/** Model globs of an access key: `*` any run of characters, `?` one; everything else literal, case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  let re = ''
  for (const ch of glob) {
    if (ch === '*') re += '.*'
    else if (ch === '?') re += '.'
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

/** One regular expression for a list of globs, or null for an empty list (every model). */
export function compileGlobs(globs: readonly string[]): RegExp | null {
  if (globs.length === 0) return null
  return new RegExp(globs.map((g) => globToRegExp(g).source).join('|'))
}
