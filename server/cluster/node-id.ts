/** Node ids tell cluster members apart in pub/sub messages and the leader lease. */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

/** A fresh id: hostname + pid make it readable in Redis, the random part keeps restarts and containers apart. */
export function createNodeId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`
}

let current: string | undefined

/** The id of this process: random once, then the same for the life of the process. */
export function nodeId(): string {
  current ??= createNodeId()
  return current
}
