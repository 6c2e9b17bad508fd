/** `keypool import gpt-load` from a GPT-Load SQLite file. */
import { importSuite } from './import-gpt-load.suite'

importSuite('sqlite', true)
