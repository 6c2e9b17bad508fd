/**
 * Find one member's value in JSON text without parsing the whole document: an answer can be megabytes
 * of generated text while the usage object is a few bytes near the end. Works on fragments too (the head
 * or tail of a truncated body), as long as the value itself is whole.
 *
 * A key counts only when its opening quote follows `{`, `,` or whitespace and a `:` follows it: inside a
 * JSON string every quote is escaped, so `"usage"` in generated text can never look like that.
 */
export function findJsonValue(text: string, key: string, which: 'first' | 'last'): unknown {
  const needle = `"${key}"`
  let at = which === 'first' ? text.indexOf(needle) : text.lastIndexOf(needle)
  while (at !== -1) {
    const value = valueAt(text, at, needle.length)
    if (value !== undefined) return value
    at = which === 'first' ? text.indexOf(needle, at + 1) : at === 0 ? -1 : text.lastIndexOf(needle, at - 1)
  }
  return undefined
}

/** Parses the value after the key at `at`, or undefined when this is not a member key / not whole. */
function valueAt(text: string, at: number, keyLength: number): unknown {
  if (at === 0 || !/[{,\s]/.test(text[at - 1]!)) return undefined
  let i = skipSpace(text, at + keyLength)
  if (text[i] !== ':') return undefined
  i = skipSpace(text, i + 1)
  const end = valueEnd(text, i)
  if (end === -1) return undefined
  try {
    return JSON.parse(text.slice(i, end))
  } catch {
    return undefined
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++
  return i
}

/** Index just past the JSON value starting at i, or -1 when the text ends first. */
function valueEnd(text: string, i: number): number {
  const c = text[i]
  if (c === '"') return stringEnd(text, i)
  if (c === '{' || c === '[') {
    let depth = 0
    for (let j = i; j < text.length; j++) {
      const d = text[j]
      if (d === '"') {
        j = stringEnd(text, j) - 1
        if (j < 0) return -1
      } else if (d === '{' || d === '[') depth++
      else if (d === '}' || d === ']') {
        depth--
        if (depth === 0) return j + 1
      }
    }
    return -1
  }
  const m = /^(?:-?[0-9][0-9.eE+-]*|true|false|null)/.exec(text.slice(i, i + 40))
  // A number cut by the end of a fragment could be read short: require a delimiter after it.
  if (!m || i + m[0].length >= text.length) return -1
  return i + m[0].length
}

/** Index just past the string whose opening quote is at i, or -1 when it does not close. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]
    if (c === '\\') j++
    else if (c === '"') return j + 1
  }
  return -1
}
