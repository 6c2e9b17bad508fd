/** A Lua script run by its SHA (one short round trip), loaded on the first NOSCRIPT (new or flushed Redis). */
import { createHash } from 'node:crypto'
import type { RedisClient } from './redis-client'

export class LuaScript {
  private readonly sha: string

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }

  async run(client: RedisClient, keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args }
    try {
      return await client.evalSha(this.sha, options)
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return client.eval(this.source, options)
    }
  }
}
