/** `keypool import gpt-load` from a GPT-Load PostgreSQL database (a fresh one on TEST_PG_URL) into keypool on PostgreSQL. */
import { reachable } from './support/gpt-load-databases'
import { importSuite } from './import-gpt-load.suite'

importSuite('postgres', await reachable('postgres'), 'postgres')
