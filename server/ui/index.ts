export { uiPlugin, resolveUiSource, RESERVED_PREFIXES, type UiPluginOptions } from './plugin'
export type { UiAsset, UiAssetSource, EmbeddedManifest } from './assets'
