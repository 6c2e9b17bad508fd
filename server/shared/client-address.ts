/**
 * The client's address, found once and used everywhere (admin login throttle, request logs, `${CLIENT_IP}` header
 * rules, access-key allowlists). The socket's peer is the client unless it is one of TRUSTED_PROXIES: only then are
 * its X-Forwarded-For / X-Real-IP believed. X-Forwarded-For is read right to left (each proxy appends the peer it
 * saw, RFC 7239 §5.2 describes the same chain for `Forwarded`): the right-most address that is not a trusted proxy is
 * the client; what lies left of it was written by the client and may be anything.
 */

/** A parsed CIDR: family, network bits and prefix length. */
export interface Cidr {
  v6: boolean
  net: bigint
  prefix: number
}

function parseV4(s: string): bigint | null {
  const parts = s.split('.')
  if (parts.length !== 4) return null
  let n = 0n
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null
    n = (n << 8n) | BigInt(Number(p))
  }
  return n
}

function parseV6(raw: string): bigint | null {
  let s = raw.includes('%') ? raw.slice(0, raw.indexOf('%')) : raw // zone id (fe80::1%eth0)
  const lastColon = s.lastIndexOf(':')
  const last = s.slice(lastColon + 1)
  if (last.includes('.')) {
    // an embedded IPv4 (::ffff:1.2.3.4) is the last two words
    const v4 = parseV4(last)
    if (v4 === null) return null
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return null
  const groups = (h: string) => (h === '' ? [] : h.split(':'))
  const head = groups(halves[0]!)
  const back = halves.length === 2 ? groups(halves[1]!) : []
  const given = head.length + back.length
  if (halves.length === 1 ? given !== 8 : given > 7) return null
  let n = 0n
  for (const g of [...head, ...Array<string>(8 - given).fill('0'), ...back]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null
    n = (n << 16n) | BigInt(parseInt(g, 16))
  }
  return n
}

/** An address as {v6, bits}; IPv4-mapped IPv6 (::ffff:a.b.c.d, as a dual-stack socket reports IPv4) is IPv4. */
export function parseIp(raw: string): { v6: boolean; bits: bigint } | null {
  const s = raw.trim()
  if (s.includes(':')) {
    const bits = parseV6(s)
    if (bits === null) return null
    if (bits >> 32n === 0xffffn) return { v6: false, bits: bits & 0xffffffffn }
    return { v6: true, bits }
  }
  const bits = parseV4(s)
  return bits === null ? null : { v6: false, bits }
}

/** `10.0.0.0/8`, `127.0.0.1` (= /32), `fd00::/8`, `::1` (= /128); null when it is not one. */
export function parseCidr(raw: string): Cidr | null {
  const [addr, len, extra] = raw.trim().split('/')
  if (extra !== undefined || !addr) return null
  const ip = parseIp(addr)
  if (!ip) return null
  const max = ip.v6 ? 128 : 32
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return null
  const prefix = len === undefined ? max : Number(len)
  if (prefix > max) return null
  const shift = BigInt(max - prefix)
  return { v6: ip.v6, net: (ip.bits >> shift) << shift, prefix }
}

function inCidr(ip: { v6: boolean; bits: bigint }, c: Cidr): boolean {
  if (ip.v6 !== c.v6) return false
  const shift = BigInt((c.v6 ? 128 : 32) - c.prefix)
  return (ip.bits >> shift) << shift === c.net
}

/** An X-Forwarded-For element may carry a port (`1.2.3.4:5678`, `[::1]:80`) or brackets. */
function stripPort(s: string): string {
  const t = s.trim()
  if (t.startsWith('[')) return t.slice(1, t.indexOf(']') === -1 ? undefined : t.indexOf(']'))
  const colon = t.indexOf(':')
  return colon !== -1 && colon === t.lastIndexOf(':') ? t.slice(0, colon) : t
}

type RequestIpServer = { requestIP?(r: Request): { address: string } | null } | null | undefined

export class ClientAddresses {
  // a #private field: JSON.stringify (Elysia hashes plugin seeds with it) cannot serialise its bigints
  readonly #cidrs: Cidr[]

  /** `trusted`: CIDR strings already checked by the config (an invalid one is ignored here). */
  constructor(readonly trusted: readonly string[] = []) {
    this.#cidrs = trusted.map(parseCidr).filter((c): c is Cidr => c !== null)
  }

  isTrusted(address: string): boolean {
    if (this.#cidrs.length === 0) return false
    const ip = parseIp(address)
    return ip !== null && this.#cidrs.some((c) => inCidr(ip, c))
  }

  /** The client's address for a request whose socket peer is `peer`. */
  resolve(headers: Headers, peer: string | undefined): string {
    const socket = peer ?? ''
    if (!this.isTrusted(socket)) return normalise(socket)
    const xff = headers.get('x-forwarded-for')
    if (xff) {
      let last = socket
      const hops = xff.split(',')
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = stripPort(hops[i]!)
        // Garbage in the chain: nothing left of it can be believed; the last hop we trust is the best we know.
        if (parseIp(hop) === null) return normalise(last)
        if (!this.isTrusted(hop)) return normalise(hop)
        last = hop
      }
      return normalise(last) // every hop is a trusted proxy: the left-most one is the origin
    }
    const real = headers.get('x-real-ip')
    if (real && parseIp(stripPort(real)) !== null) return normalise(stripPort(real))
    return normalise(socket)
  }

  /** The client's address of a request served by Bun (`server.requestIP` is the socket peer). */
  of(request: Request, server: RequestIpServer): string {
    return this.resolve(request.headers, server?.requestIP?.(request)?.address) || 'unknown'
  }
}

/** One spelling per address: `::ffff:10.0.0.1` and `10.0.0.1` are the same client. */
function normalise(address: string): string {
  const a = address.trim()
  // every request passes here: the pattern only when the address can be a mapped IPv4 one
  if (a.length < 8 || a.charCodeAt(0) !== 58 /* : */) return a
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)
  return m ? m[1]! : a
}
