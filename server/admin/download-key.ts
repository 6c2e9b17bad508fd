/**
 * GPT-Load's web admin downloads exports through a plain link, `…/export?key=<admin key>`, since a link cannot carry
 * an Authorization header. Only the two export routes take it: there the key is checked as the Bearer key would be
 * (same comparison, same throttle on failures); every other route ignores `?key=`.
 */
const DOWNLOAD_ROUTES: ReadonlySet<string> = new Set(['GET /api/keys/export', 'GET /api/logs/export'])

/** The `?key=` of a download link, when this request is one and carries no Authorization header. */
export function downloadKeyOf(request: Request, route: string): string | undefined {
  if (!DOWNLOAD_ROUTES.has(`${request.method} ${route}`) || request.headers.has('authorization')) return undefined
  const key = new URL(request.url).searchParams.get('key')
  return key ? key : undefined
}
