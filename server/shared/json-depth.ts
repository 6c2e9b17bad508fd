/**
 * How deep a JSON text nests, found without parsing it: parsers cope with 100,000 levels, but what walks the result
 * recursively afterwards (schema checks, JSON.stringify) overflows the stack.
 */
/** Whether the JSON text nests arrays/objects deeper than `max` (a linear scan: no recursion, no parse). */
export function nestsDeeper(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > max) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}
