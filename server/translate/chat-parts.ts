/** Reading and building the pieces of chat messages that every protocol maps: text, images, tool calls. */
import { objectsAt, TranslateError } from './errors'
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from './types'

/** A chat image: inline bytes (from a `data:` URL) or a remote URL. */
export type Image = { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string }

export function imageOf(url: string): Image {
  if (typeof url !== 'string') throw new TranslateError('image_url.url', 'must be a string')
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url)
  return m ? { kind: 'base64', mediaType: m[1]!, data: m[2]! } : { kind: 'url', url }
}

export const dataUrl = (mediaType: string, data: string) => `data:${mediaType};base64,${data}`

/** A chat message's content as parts (a string is one text part). */
export function partsOf(content: ChatCompletionMessageParam['content'] | undefined, field = 'content'): ChatCompletionContentPart[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : []
  return objectsAt<ChatCompletionContentPart>(content, field)
}

/** Text of content that may only hold text (system, tool results); anything else cannot be expressed there. */
export function textOf(content: ChatCompletionMessageParam['content'] | undefined, field: string): string {
  return partsOf(content, field)
    .map((p, i) => {
      if (p.type === 'text') return p.text
      if ((p as { type: string }).type === 'refusal') return (p as unknown as { refusal: string }).refusal
      throw new TranslateError(`${field}[${i}].type`, `"${p.type}" is only text here`)
    })
    .join('')
}

export function stopList(stop: string | string[] | null | undefined): string[] | undefined {
  if (stop === undefined || stop === null) return undefined
  return typeof stop === 'string' ? [stop] : stop
}

let idSeq = 0
/** Ids keypool mints where the source protocol has none (Gemini function calls, answer ids). */
export function newId(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${(++idSeq).toString(36)}${Math.random().toString(36).slice(2, 8)}`
}
