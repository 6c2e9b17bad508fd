/**
 * Some OpenAI-compatible services echo the key they were sent in their error text ("Incorrect API key provided:
 * sk-…"). Such an answer is relayed to the client after the last retry, and a proxy-key holder must never learn a
 * pool key: the key is replaced by its masked form. Bodies that do not contain it pass through byte-exact.
 */
import { maskKey } from '../shared/mask'

export function scrubErrorBody(
  bytes: Uint8Array,
  text: string,
  headers: Headers,
  keyValue: string,
): { bytes: Uint8Array; headers: Headers } {
  if (keyValue === '' || !text.includes(keyValue)) return { bytes, headers }
  const h = new Headers(headers)
  // `text` is the decoded body: the scrubbed copy is sent uncompressed, and its length is the new one.
  h.delete('content-encoding')
  h.delete('content-length')
  return { bytes: new TextEncoder().encode(text.replaceAll(keyValue, maskKey(keyValue))), headers: h }
}
