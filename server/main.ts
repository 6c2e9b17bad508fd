/** Entry point of `bun start` and of the compiled binary: the CLI decides what to run. */
import { runCli } from './cli/run'
import { startServer } from './server'
import { logUncaughtErrors } from './shared/logger'

logUncaughtErrors()

const code = await runCli(process.argv.slice(2), process.env, { startServer })
process.exit(code)
