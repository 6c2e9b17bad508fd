/** The response cache with the in-process LRU (a node without REDIS_DSN). */
import { cacheSuite } from './cache.suite'

cacheSuite('memory')
