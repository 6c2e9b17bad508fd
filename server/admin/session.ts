/**
 * Admin sessions for the UI: a signed, expiring token in an HttpOnly cookie, so the browser never holds the raw
 * admin key. The signing key is derived from the admin key, so every node of a cluster accepts the same cookie and
 * changing AUTH_KEY ends every session. Logout revokes the token on this node and, in a cluster, in Redis so every
 * node refuses it (a node that cannot reach Redis checks its own list only).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'keypool_session'
export const SESSION_TTL_MS = 12 * 3_600_000

/** Constant-time string equality: both sides are hashed first so lengths never leak through timing. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

/** Revoked sessions shared by the nodes of a cluster (server/cluster/session-revocations.ts gives one when Redis is set). */
export interface SharedRevocations {
  add(id: string, expiresAt: number): Promise<void>
  has(id: string): Promise<boolean>
}

export class SessionSigner {
  private readonly secret: Buffer
  private readonly revoked = new Map<string, number>()

  constructor(
    authKey: string,
    private readonly shared: () => SharedRevocations | undefined = () => undefined,
  ) {
    this.secret = createHmac('sha256', 'keypool-admin-session').update(authKey).digest()
  }

  issue(now: number): { token: string; expiresAt: number } {
    const expiresAt = now + SESSION_TTL_MS
    const body = `${expiresAt}.${randomBytes(16).toString('base64url')}`
    return { token: `${body}.${this.sign(body)}`, expiresAt }
  }

  verify(token: string | undefined, now: number): boolean {
    if (!token) return false
    const cut = token.lastIndexOf('.')
    if (cut <= 0) return false
    const body = token.slice(0, cut)
    const sig = Buffer.from(token.slice(cut + 1), 'base64url')
    const want = Buffer.from(this.sign(body), 'base64url')
    if (sig.length !== want.length || !timingSafeEqual(sig, want)) return false
    const expiresAt = Number(body.slice(0, body.indexOf('.')))
    return Number.isFinite(expiresAt) && expiresAt > now && !this.revoked.has(body)
  }

  /** verify, then (in a cluster) whether another node revoked it. */
  async isValid(token: string | undefined, now: number): Promise<boolean> {
    if (!this.verify(token, now)) return false
    const shared = this.shared()
    if (!shared) return true
    try {
      return !(await shared.has(token!.slice(0, token!.lastIndexOf('.'))))
    } catch {
      return true // Redis away: this node's own list was checked
    }
  }

  async revoke(token: string | undefined, now: number): Promise<void> {
    if (!token || !this.verify(token, now)) return
    const body = token.slice(0, token.lastIndexOf('.'))
    const expiresAt = Number(body.slice(0, body.indexOf('.')))
    this.revoked.set(body, expiresAt)
    for (const [b, exp] of this.revoked) if (exp <= now) this.revoked.delete(b)
    await this.shared()?.add(body, expiresAt).catch(() => {})
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url')
  }
}
