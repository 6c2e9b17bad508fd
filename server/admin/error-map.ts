/** Every admin route's error, mapped once to the admin JSON shape `{code, message}` with its status. */
import { ApiError } from '../shared/errors'
import { log } from '../shared/logger'
import { isBadEncoding } from '../shared/error-handling'
import { TooManyAttempts } from './auth'
import { validationMessage } from './validation-message'

type Set = { status?: number | string; headers: Record<string, string | number> }

export function adminError({ code, error, set }: { code: unknown; error: unknown; set: Set }) {
  // Errors thrown inside a body parser reach us wrapped in Elysia's ParseError.
  const cause = code === 'PARSE' && error instanceof Error ? error.cause : undefined
  const api = error instanceof ApiError ? error : cause instanceof ApiError ? cause : undefined
  if (api) {
    set.status = api.status
    if (api instanceof TooManyAttempts) set.headers['retry-after'] = String(api.retryAfterSeconds)
    return { code: api.code, message: api.message }
  }
  if (isBadEncoding(error)) {
    set.status = 400
    return { code: 'VALIDATION_ERROR', message: 'malformed percent-encoding in the URL' }
  }
  if (code === 'VALIDATION') {
    set.status = 400
    return { code: 'VALIDATION_ERROR', message: validationMessage(error as never) }
  }
  if (code === 'PARSE') {
    set.status = 400
    return { code: 'VALIDATION_ERROR', message: 'the request body is not valid JSON' }
  }
  if (code === 'NOT_FOUND') {
    set.status = 404
    return { code: 'NOT_FOUND', message: 'no such route' }
  }
  // Unexpected: log it, answer without internals (messages may hold data that must not leave the server).
  log.error('admin route failed', { error: error instanceof Error ? error.message : String(error) })
  set.status = 500
  return { code: 'INTERNAL_ERROR', message: 'internal server error' }
}
