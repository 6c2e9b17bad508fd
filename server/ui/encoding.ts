/** Picks the response encoding from `accept-encoding` (RFC 9110 §12.5.3): brotli over gzip, honouring `q=0`. */
export type Encoding = 'br' | 'gzip' | 'identity'

export function acceptedEncodings(header: string | null): Set<string> {
  const accepted = new Set<string>()
  if (!header) return accepted
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';')
    const name = rawName?.trim().toLowerCase()
    if (!name) continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    if (q !== undefined && Number(q.slice(2)) === 0) continue
    accepted.add(name)
  }
  return accepted
}

export function chooseEncoding(header: string | null, available: { br: boolean; gzip: boolean }): Encoding {
  const accepted = acceptedEncodings(header)
  const any = accepted.has('*')
  if (available.br && (accepted.has('br') || any)) return 'br'
  if (available.gzip && (accepted.has('gzip') || any)) return 'gzip'
  return 'identity'
}
