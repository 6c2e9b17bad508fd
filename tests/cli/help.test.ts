import { expect, test } from 'bun:test'
import { ENV_FLAGS } from '../../server/cli/args'
import { EXIT } from '../../server/cli/exit-codes'
import { helpText } from '../../server/cli/help'

test('help lists every flag with its env variable, every command and every exit code', () => {
  const help = helpText()
  for (const [flag, envName] of Object.entries(ENV_FLAGS)) expect(help).toMatch(new RegExp(`${flag} <\\w+>\\s+${envName}`))
  for (const word of ['--config', 'keys import', 'keys export', 'migrate-keys --to-key', 'migrate-keys --disable', 'import gpt-load --dsn', '--encryption-key', '--with-logs', 'healthcheck', '--help', '--version']) {
    expect(help).toContain(word)
  }
  for (const code of Object.values(EXIT)) expect(help).toMatch(new RegExp(`^  ${code}  `, 'm'))
})

test('help gives the MAX_CONCURRENT_REQUESTS default and says it differs from GPT-Load', () => {
  expect(helpText()).toMatch(/MAX_CONCURRENT_REQUESTS\s.*default 1000.*GPT-Load.*100/)
})

test('help names every environment variable the configuration reads (README: "--help lists them all")', async () => {
  const source = await Bun.file(new URL('../../server/config/env.ts', import.meta.url)).text()
  const names = [...source.matchAll(/\(src, '([A-Z_]+)'/g)].map((m) => m[1]!)
  expect(names.length).toBeGreaterThan(20)
  const help = helpText()
  expect(names.filter((n) => !new RegExp(`\\b${n}\\b`).test(help))).toEqual([])
})
