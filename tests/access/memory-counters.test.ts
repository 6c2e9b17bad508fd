import { MemoryAccessCounters } from '../../server/access/memory-counters'
import { countersSuite } from './counters.suite'

countersSuite('memory', async () => new MemoryAccessCounters())
