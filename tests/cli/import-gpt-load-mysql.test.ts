/** `keypool import gpt-load` from a GPT-Load MySQL/MariaDB database (a fresh one on TEST_MYSQL_URL). */
import { reachable } from './support/gpt-load-databases'
import { importSuite } from './import-gpt-load.suite'

importSuite('mysql', await reachable('mysql'))
