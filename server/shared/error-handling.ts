/**
 * The last line of error handling, for every surface: nothing unexpected ever reaches the client as Bun's
 * development error page (it shows the cwd, file paths and source lines) or as a raw error message.
 * - `SERVE_ERROR_OPTIONS` goes into Bun.serve: production mode and an `error` handler for what the Bun-native
 *   routes (the proxy) throw.
 * - `answerUnhandled` is the app's onError for routes outside /api (the admin plugin maps its own).
 */
import { log } from './logger'

const json = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ code, message }), { status, headers: { 'content-type': 'application/json' } })

/** A malformed percent-encoding (`/%`, `/a%zz`) is the client's fault. */
export const isBadEncoding = (err: unknown) => err instanceof URIError

function internal(where: string, err: unknown): Response {
  // the message only, never the stack: stacks carry file paths and the message may carry request data
  log.error(`${where} failed`, { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  return json(500, 'INTERNAL_ERROR', 'internal server error')
}

export function onServeError(err: unknown): Response {
  if (isBadEncoding(err)) return json(400, 'BAD_REQUEST', 'malformed percent-encoding in the URL')
  return internal('request', err)
}

export const SERVE_ERROR_OPTIONS = { development: false, error: onServeError } as const

type ElysiaErrorContext = { code: unknown; error: unknown }

export function answerUnhandled({ code, error }: ElysiaErrorContext): Response {
  if (isBadEncoding(error)) return json(400, 'BAD_REQUEST', 'malformed percent-encoding in the URL')
  if (code === 'NOT_FOUND') return json(404, 'NOT_FOUND', 'no such route')
  if (code === 'PARSE') return json(400, 'BAD_REQUEST', 'the request body could not be read')
  if (code === 'VALIDATION') return json(400, 'BAD_REQUEST', 'the request is not valid')
  return internal('route', error)
}
