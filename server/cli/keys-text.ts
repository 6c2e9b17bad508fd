/**
 * Splits pasted or file key lists the way the admin API's keys_text does: a JSON array of strings, or keys
 * separated by whitespace, commas or semicolons. Empty entries are dropped; duplicates are left to the store.
 */
export function splitKeysText(text: string): string[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed)
      if (Array.isArray(parsed) && parsed.every((k) => typeof k === 'string')) {
        return parsed.map((k) => k.trim()).filter((k) => k !== '')
      }
    } catch {
      // Not JSON after all: a key may start with '['; fall through to plain splitting.
    }
  }
  return trimmed.split(/[\s,;]+/).filter((k) => k !== '')
}
