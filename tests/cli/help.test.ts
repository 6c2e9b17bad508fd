import { expect, test } from 'bun:test'
import { ENV_FLAGS } from '../../server/cli/args'
import { EXIT } from '../../server/cli/exit-codes'
import { helpText } from '../../server/cli/help'

test('help lists every flag with its env variable, every command and every exit code', () => {
  const help = helpText()
  for (const [flag, envName] of Object.entries(ENV_FLAGS)) expect(help).toMatch(new RegExp(`${flag} <\\w+>\\s+${envName}`))
  for (const word of ['--config', 'keys import', 'keys export', 'migrate-keys --to-key', 'migrate-keys --disable', 'healthcheck', '--help', '--version']) {
    expect(help).toContain(word)
  }
  for (const code of Object.values(EXIT)) expect(help).toMatch(new RegExp(`^  ${code}  `, 'm'))
})
