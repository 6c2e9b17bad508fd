/**
 * What the admin API accepts as a request body: JSON only (declared `application/json`), so a cross-site HTML form
 * (text/plain, urlencoded, multipart) can never drive a write route; the one exception is the multipart upload of
 * POST /api/keys/add-async. Nesting is bounded before the body is parsed: a 100,000-deep array overflowed the
 * schema check's recursion (500).
 */
import { ApiError, validationError } from '../shared/errors'
import { nestsDeeper } from '../shared/json-depth'

export { nestsDeeper }

export const MAX_BODY_DEPTH = 64
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** `METHOD route` of the routes that take multipart/form-data (file uploads) */
const MULTIPART_ROUTES = new Set(['POST /api/keys/add-async'])

export const unsupportedMediaType = () =>
  new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body must be JSON (content-type: application/json)')

const mediaType = (request: Request) => request.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase()

/** Throws 415 for a write request that declares anything but JSON (multipart where a route takes it). */
export function checkContentType(request: Request, route: string): void {
  if (!WRITE_METHODS.has(request.method)) return
  const type = mediaType(request)
  if (type === undefined || type === 'application/json') return
  if (type === 'multipart/form-data' && MULTIPART_ROUTES.has(`${request.method} ${route}`)) return
  throw unsupportedMediaType()
}

/**
 * The parsed body of a request checkContentType let through (JSON, or no declared type). '' for an empty body:
 * body-less POSTs (logout, restore-all-invalid) stay body-less. undefined = leave it to Elysia (multipart).
 */
export async function parseJsonBody(request: Request): Promise<unknown> {
  const type = mediaType(request)
  if (type === 'multipart/form-data') return undefined
  const text = await request.text()
  if (text.trim() === '') return ''
  if (type === undefined) throw unsupportedMediaType() // a body without a declared type
  if (nestsDeeper(text, MAX_BODY_DEPTH)) throw validationError(`the request body nests deeper than ${MAX_BODY_DEPTH} levels`)
  try {
    return JSON.parse(text)
  } catch {
    throw validationError('the request body is not valid JSON')
  }
}
