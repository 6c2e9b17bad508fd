/**
 * Model globs: `*` is any run of characters, `?` one character, everything else itself, case-insensitive.
 * When several globs match a model the most specific wins: a glob without wildcards (an exact name) first, then
 * the one with more literal characters, then fewer wildcards, then the alphabetically first (so it is stable).
 */

export interface CompiledGlob {
  pattern: string
  /** null for an exact name (no wildcard) */
  re: RegExp | null
  literals: number
  wildcards: number
}

export function compileGlob(pattern: string): CompiledGlob {
  const p = pattern.toLowerCase()
  let wildcards = 0
  let source = ''
  for (const ch of p) {
    if (ch === '*') {
      wildcards++
      source += '.*'
    } else if (ch === '?') {
      wildcards++
      source += '.'
    } else source += ch.replace(/[.+^${}()|[\]\\\/-]/g, '\\$&')
  }
  return { pattern: p, re: wildcards === 0 ? null : new RegExp(`^${source}$`, 's'), literals: [...p].length - wildcards, wildcards }
}

/** Sort order of globs: most specific first. */
export function bySpecificity(a: CompiledGlob, b: CompiledGlob): number {
  if ((a.re === null) !== (b.re === null)) return a.re === null ? -1 : 1
  return b.literals - a.literals || a.wildcards - b.wildcards || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0)
}

/** What a model name is matched as: trimmed, lower case, without Gemini's `models/` prefix. */
export function modelKey(model: string): string {
  const m = model.trim().toLowerCase()
  return m.startsWith('models/') ? m.slice(7) : m
}
