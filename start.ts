/**
 * `bun start` runs this file. It sits at the root, and package.json has no "start" script, so that `bun start` is
 * one process: a package.json script would be a child of Bun's script runner, which waits beside it for as long as
 * the server runs. The work is in scripts/start.ts.
 */
import './scripts/start'
