/**
 * Version and commit of this build. `scripts/build.ts` injects both with `--define`; running from source the
 * version comes from package.json and the commit is "dev".
 */
import pkg from '../../package.json'

// Replaced by the bundler (`define`); `typeof` keeps an undefined global safe when running from source.
declare const KEYPOOL_VERSION: string | undefined
declare const KEYPOOL_COMMIT: string | undefined

export const VERSION: string = typeof KEYPOOL_VERSION === 'string' ? KEYPOOL_VERSION : pkg.version
export const COMMIT: string = typeof KEYPOOL_COMMIT === 'string' && KEYPOOL_COMMIT !== '' ? KEYPOOL_COMMIT : 'dev'

/** `keypool 0.1.0 (abc1234) bun-1.4.4 linux-x64` */
export function versionLine(): string {
  return `keypool ${VERSION} (${COMMIT}) bun-${Bun.version} ${process.platform}-${process.arch}`
}
