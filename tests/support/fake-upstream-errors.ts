/**
 * Key behaviours of the fake upstream and the errors they produce, in the caller's provider shape:
 * OpenAI `{error:{message,type,param,code}}`, Anthropic `{type:'error',error:{type,message}}`,
 * Google `{error:{code,message,status,details?}}`, each with the status and headers the real API uses.
 */
export type Family = 'openai' | 'anthropic' | 'gemini'

/** A key's behaviour: chosen by its prefix (`sk-bad…` -> 'bad') or set at run time with setBehavior. */
export type Behavior = 'ok' | 'bad' | 'forbid' | '429' | '429ms' | '429long' | 'quota' | '500' | '529' | 'flaky' | '400' | 'hang'

// Longest prefixes first: `sk-429ms` also starts with `sk-429`.
const PREFIXES: [string, Behavior][] = [
  ['sk-429ms', '429ms'],
  ['sk-429', '429'],
  ['sk-bad', 'bad'],
  ['sk-forbid', 'forbid'],
  ['sk-quota', 'quota'],
  ['sk-500', '500'],
  ['sk-529', '529'],
  ['sk-flaky', 'flaky'],
  ['sk-400', '400'],
  ['sk-hang', 'hang'],
]

export function behaviorOf(key: string): Behavior {
  for (const [prefix, behavior] of PREFIXES) if (key.startsWith(prefix)) return behavior
  return 'ok'
}

export interface FakeError {
  status: number
  body: unknown
  headers?: Record<string, string>
}

interface ErrorSpec {
  status: number
  message: string
  /** OpenAI `type` / `code`, Anthropic `type`. */
  openaiType: string
  openaiCode: string | null
  anthropicType: string
  /** Google answers some cases differently (invalid key: 400 with reason API_KEY_INVALID). */
  google?: { status: number; rpc: string; reason?: string }
  headers?: Record<string, string>
}

const GOOGLE_RPC: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  529: 'UNAVAILABLE',
}

function render(family: Family, spec: ErrorSpec): FakeError {
  const headers = spec.headers
  if (family === 'openai') {
    const error = { message: spec.message, type: spec.openaiType, param: null, code: spec.openaiCode }
    return { status: spec.status, body: { error }, headers }
  }
  if (family === 'anthropic') {
    return { status: spec.status, body: { type: 'error', error: { type: spec.anthropicType, message: spec.message } }, headers }
  }
  const status = spec.google?.status ?? spec.status
  const error: Record<string, unknown> = { code: status, message: spec.message, status: spec.google?.rpc ?? GOOGLE_RPC[status] ?? 'UNKNOWN' }
  if (spec.google?.reason) {
    error.details = [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: spec.google.reason,
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
    ]
  }
  return { status, body: { error }, headers }
}

const MISSING_KEY: ErrorSpec = {
  status: 401,
  message: 'No API key provided.',
  openaiType: 'invalid_request_error',
  openaiCode: null,
  anthropicType: 'authentication_error',
}

// '429long': a rate limit that outlasts a test's steps (a minute), set with setBehavior
const RATE_LIMIT_HINTS = { '429': { 'retry-after': '2' }, '429ms': { 'retry-after-ms': '1500' }, '429long': { 'retry-after': '60' } }

/** The error answer of a behaviour, null when the request goes on to succeed ('ok', 'hang', a flaky success). */
function specOf(family: Family, behavior: Behavior, nthRequest: number): ErrorSpec | null {
  switch (behavior) {
    case 'bad':
      return {
        status: 401,
        message: family === 'gemini' ? 'API key not valid. Please pass a valid API key.' : 'Incorrect API key provided.',
        openaiType: 'invalid_request_error',
        openaiCode: 'invalid_api_key',
        anthropicType: 'authentication_error',
        google: { status: 400, rpc: 'INVALID_ARGUMENT', reason: 'API_KEY_INVALID' },
      }
    case 'forbid':
      return { status: 403, message: 'This key is not allowed to access this resource.', openaiType: 'permission_error', openaiCode: 'forbidden', anthropicType: 'permission_error' }
    case '429':
    case '429ms':
    case '429long':
      return {
        status: 429,
        message: 'Rate limit reached for requests. Please try again later.',
        openaiType: 'requests',
        openaiCode: 'rate_limit_exceeded',
        anthropicType: 'rate_limit_error',
        headers: RATE_LIMIT_HINTS[behavior],
      }
    case 'quota':
      if (family === 'anthropic') {
        const message = 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'
        return { status: 400, message, openaiType: '', openaiCode: null, anthropicType: 'invalid_request_error' }
      }
      return {
        status: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.',
        openaiType: 'insufficient_quota',
        openaiCode: 'insufficient_quota',
        anthropicType: 'rate_limit_error',
      }
    case 'flaky':
      if (nthRequest % 2 === 0) return null
    // falls through: odd-numbered requests of a flaky key fail like sk-500
    case '500':
      return { status: 500, message: 'The server had an error while processing your request.', openaiType: 'server_error', openaiCode: null, anthropicType: 'api_error' }
    case '529':
      return { status: 529, message: 'Overloaded', openaiType: 'server_error', openaiCode: 'overloaded', anthropicType: 'overloaded_error' }
    case '400':
      return { status: 400, message: 'Invalid request: the fake upstream was told to refuse it.', openaiType: 'invalid_request_error', openaiCode: null, anthropicType: 'invalid_request_error' }
    default:
      return null
  }
}

/** The error for a request's key (null key = none sent), or null when the request should succeed. */
export function keyError(family: Family, key: string | null, behavior: Behavior, nthRequest: number): FakeError | null {
  if (key === null) return render(family, MISSING_KEY)
  const spec = specOf(family, behavior, nthRequest)
  return spec ? render(family, spec) : null
}

/** Any other error (unknown route, bad JSON) in the family's shape. */
export function plainError(family: Family, status: number, message: string): FakeError {
  const type = status === 404 ? 'not_found_error' : 'invalid_request_error'
  return render(family, { status, message, openaiType: 'invalid_request_error', openaiCode: null, anthropicType: type })
}
