/**
 * The server writes security warnings in English, with details (which key, why it is weak). Other languages show
 * a translation of the warning's `type` instead, and keep the server's text as the hover title.
 */
import type { DashboardStats } from '../../api/types'
import { lang, type Lang } from '../../i18n'

type Warning = DashboardStats['security_warnings'][number]

const TRANSLATED: Partial<Record<Lang, Record<string, string>>> = {
  'zh-CN': {
    weak_auth_key: '管理密钥 (AUTH_KEY) 强度不足。请设置为 32 位以上的随机字符串，例如 `openssl rand -base64 32` 的输出。',
    weak_proxy_key: '代理密钥 (proxy_keys) 中有弱密钥。请在系统设置中换成足够长的随机密钥。',
    keys_not_encrypted: '上游密钥以明文存储在数据库中。设置 ENCRYPTION_KEY 即可加密存储 (AES-256-GCM)。',
  },
  ja: {
    weak_auth_key: '管理キー（AUTH_KEY）が弱すぎます。`openssl rand -base64 32` の出力など、32 文字以上のランダムな文字列にしてください。',
    weak_proxy_key: 'プロキシキー（proxy_keys）に弱いキーがあります。システム設定で十分に長いランダムなキーに置き換えてください。',
    keys_not_encrypted: 'アップストリームのキーがデータベースに平文で保存されています。ENCRYPTION_KEY を設定すると暗号化して保存します（AES-256-GCM）。',
  },
}

export function warningText(w: Warning): string {
  return TRANSLATED[lang()]?.[w.type] ?? `${w.message} ${w.suggestion}`
}
