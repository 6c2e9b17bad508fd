/**
 * `POST /api/keys/add-async` also takes GPT-Load's upload: multipart form data with `group_id` and `file` (a .txt,
 * one key a line, or anything `keys_text` accepts). The upload is read with a size bound and turned into the same
 * `{group_id, keys_text}` body a JSON request has, so one schema validates both.
 */
import { ApiError, validationError } from '../shared/errors'

/** Largest upload read: a million 60-character keys fit. */
export const MAX_KEY_FILE_BYTES = 64 * 1024 * 1024

const tooLarge = () => new ApiError(413, 'PAYLOAD_TOO_LARGE', `file: larger than ${MAX_KEY_FILE_BYTES / (1024 * 1024)} MiB`)

/** The body's bytes, refusing once more than `max` arrive (a missing or false Content-Length is not trusted). */
async function readBounded(request: Request, max: number): Promise<Blob> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > max) throw tooLarge()
  if (!request.body) return new Blob([])
  const chunks: BlobPart[] = []
  let size = 0
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > max) throw tooLarge()
    chunks.push(chunk as Uint8Array<ArrayBuffer>)
  }
  return new Blob(chunks)
}

/** The multipart upload as `{group_id, keys_text}`; `undefined` for any other content type (parsed as usual). */
export async function parseKeyUpload(request: Request): Promise<Record<string, unknown> | undefined> {
  // The whole header: the boundary parameter is needed to read the parts.
  const contentType = request.headers.get('content-type') ?? ''
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return undefined
  // Multipart framing adds a little around the file itself.
  const bytes = await readBounded(request, MAX_KEY_FILE_BYTES + 64 * 1024)
  let form: FormData
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData()
  } catch {
    throw validationError('the request body is not valid multipart form data')
  }
  const groupId = form.get('group_id')
  if (typeof groupId !== 'string' || groupId.trim() === '') throw validationError('group_id is required')
  if (!/^\d+$/.test(groupId.trim())) throw validationError('group_id must be a group id (a positive integer)')
  const file = form.get('file')
  if (!(file instanceof File)) throw validationError('file is required: a .txt file with one key a line')
  if (!file.name.toLowerCase().endsWith('.txt')) throw validationError('file: only .txt files are accepted')
  if (file.size > MAX_KEY_FILE_BYTES) throw tooLarge()
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer())
  } catch {
    throw validationError('file: not UTF-8 text')
  }
  if (text.trim() === '') throw validationError('file is empty: it holds no keys')
  return { group_id: Number(groupId.trim()), keys_text: text }
}
