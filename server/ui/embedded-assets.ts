/**
 * The UI embedded in the compiled binary. `scripts/embed-ui.ts` writes `embedded-assets.generated.ts` (git-ignored)
 * importing every `ui/dist` file `with { type: 'file' }`, so `bun build --compile` puts them inside the binary.
 * Without that file (a plain checkout) this answers null and the server reads `ui/dist` from disk instead.
 */
import type { EmbeddedManifest } from './assets'

export async function loadEmbeddedManifest(): Promise<EmbeddedManifest | null> {
  try {
    // A literal specifier so the bundler follows it into the binary; absent in a checkout, which is fine.
    // @ts-ignore -- the generated module exists only after `bun scripts/embed-ui.ts`
    const mod = (await import('./embedded-assets.generated.ts')) as { EMBEDDED_UI?: EmbeddedManifest }
    return mod.EMBEDDED_UI && Object.keys(mod.EMBEDDED_UI).length > 0 ? mod.EMBEDDED_UI : null
  } catch {
    return null
  }
}
