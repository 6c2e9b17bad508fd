/** The four protocols a caller may speak, read from the request path. */
import { GEMINI_PATH } from './gemini-request'

export type Protocol = 'openai' | 'anthropic' | 'gemini' | 'responses'

export function protocolOfPath(method: string, path: string): Protocol | null {
  if (method !== 'POST') return null
  const q = path.indexOf('?')
  const bare = q === -1 ? path : path.slice(0, q)
  if (bare === '/v1/chat/completions') return 'openai'
  if (bare === '/v1/messages') return 'anthropic'
  if (bare === '/v1/responses') return 'responses'
  if (GEMINI_PATH.test(bare)) return 'gemini'
  return null
}
