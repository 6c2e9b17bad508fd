/**
 * GPT-Load's web admin downloads exports through a plain link, `…/export?key=<admin key>`, since a link cannot carry
 * an Authorization header. Only the two export routes take it: there the key is handed to the admin guard as the
 * Bearer key it checks (same comparison, same throttle on failures); every other route ignores `?key=`.
 */
export function downloadKeyAsBearer({ query, headers }: { query: Record<string, unknown>; headers: Record<string, string | undefined> }) {
  const key = query.key
  if (typeof key === 'string' && key !== '' && headers.authorization === undefined) headers.authorization = `Bearer ${key}`
}
