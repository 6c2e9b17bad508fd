/** Errors between protocols: read whatever shape the upstream used, answer in the caller's. */
import { anthropic } from '../channels/anthropic'
import { gemini } from '../channels/gemini'
import { openaiErrorBody } from '../channels/openai'
import { asRecord } from './errors'
import type { Protocol } from './protocols'
import type { NeutralError } from './types'

/** OpenAI `{error:{message,code}}`, Anthropic `{type:'error',error:{type,message}}`, Gemini `{error:{code,message,status}}`. */
export function errorFromBody(status: number, body: unknown): NeutralError {
  const root = Array.isArray(body) ? asRecord(body[0]) : asRecord(body)
  const e = asRecord(root.error)
  const message = typeof e.message === 'string' ? e.message : typeof root.message === 'string' ? root.message : 'upstream error'
  const code = [e.code, e.status, e.type].find((c) => typeof c === 'string') as string | undefined
  return code ? { status, message, code } : { status, message }
}

export function errorFromText(status: number, text: string): NeutralError {
  try {
    return errorFromBody(status, JSON.parse(text))
  } catch {
    return { status, message: text.slice(0, 500) || `upstream answered ${status}` }
  }
}

export function errorBodyFor(protocol: Protocol, e: NeutralError): unknown {
  if (protocol === 'anthropic') return anthropic.errorBody(e.status, e.message, e.code)
  if (protocol === 'gemini') return gemini.errorBody(e.status, e.message, e.code)
  return openaiErrorBody(e.status, e.message, e.code)
}
