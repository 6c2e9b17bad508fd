/**
 * A GPT-Load 1.x database built for the import tests, in the shape GORM's AutoMigrate gives its models in each
 * dialect (tables groups, group_sub_groups, api_keys, system_settings, request_logs), filled with encrypted and
 * plain keys, an aggregate group, settings, proxy keys and a few logs. Keys are sealed the way GPT-Load seals them
 * (PBKDF2-SHA256 100,000 rounds over a fixed salt, AES-256-GCM, hex of nonce|ciphertext|tag), here with WebCrypto.
 */
export type Dialect = 'sqlite' | 'postgres' | 'mysql'

type Col = 'pk' | 'uint' | 'int' | 'text' | 'json' | 'bool' | 'time' | `str:${number}` | 'uuid'
type Table = { name: string; cols: [string, Col, string?][]; extra?: string[] }

const TABLES: Table[] = [
  {
    name: 'groups',
    cols: [
      ['id', 'pk'], ['name', 'str:255', 'NOT NULL'], ['display_name', 'str:255'], ['proxy_keys', 'text'],
      ['description', 'str:512'], ['group_type', 'str:50', "DEFAULT 'standard'"], ['upstreams', 'json', 'NOT NULL'],
      ['validation_endpoint', 'str:255'], ['channel_type', 'str:50', 'NOT NULL'], ['sort', 'int', 'DEFAULT 0'],
      ['test_model', 'str:255', 'NOT NULL'], ['param_overrides', 'json'], ['config', 'json'], ['header_rules', 'json'],
      ['model_redirect_rules', 'json'], ['model_redirect_strict', 'bool', 'DEFAULT false'], ['last_validated_at', 'time'],
      ['created_at', 'time'], ['updated_at', 'time'],
    ],
    extra: ['UNIQUE (name)'],
  },
  {
    name: 'group_sub_groups',
    cols: [['id', 'pk'], ['group_id', 'uint', 'NOT NULL'], ['sub_group_id', 'uint', 'NOT NULL'], ['weight', 'int', 'DEFAULT 0'], ['created_at', 'time'], ['updated_at', 'time']],
    extra: ['UNIQUE (group_id, sub_group_id)'],
  },
  {
    name: 'api_keys',
    cols: [
      ['id', 'pk'], ['key_value', 'text', 'NOT NULL'], ['key_hash', 'str:128'], ['group_id', 'uint', 'NOT NULL'],
      ['status', 'str:50', "NOT NULL DEFAULT 'active'"], ['notes', 'str:255', "DEFAULT ''"], ['request_count', 'int', 'NOT NULL DEFAULT 0'],
      ['failure_count', 'int', 'NOT NULL DEFAULT 0'], ['last_used_at', 'time'], ['created_at', 'time'], ['updated_at', 'time'],
    ],
  },
  {
    name: 'system_settings',
    cols: [['id', 'pk'], ['setting_key', 'str:255', 'NOT NULL'], ['setting_value', 'text', 'NOT NULL'], ['description', 'str:512'], ['created_at', 'time'], ['updated_at', 'time']],
    extra: ['UNIQUE (setting_key)'],
  },
  {
    name: 'request_logs',
    cols: [
      ['id', 'uuid'], ['timestamp', 'time', 'NOT NULL'], ['group_id', 'uint', 'NOT NULL'], ['group_name', 'str:255'],
      ['parent_group_id', 'uint'], ['parent_group_name', 'str:255'], ['key_value', 'text'], ['key_hash', 'str:128'],
      ['model', 'str:255'], ['is_success', 'bool', 'NOT NULL'], ['source_ip', 'str:64'], ['status_code', 'int', 'NOT NULL'],
      ['request_path', 'str:500'], ['duration', 'int', 'NOT NULL'], ['error_message', 'text'], ['user_agent', 'str:512'],
      ['request_type', 'str:20', "NOT NULL DEFAULT 'final'"], ['upstream_addr', 'str:500'], ['is_stream', 'bool', 'NOT NULL'],
      ['request_body', 'text'],
    ],
  },
]

const TYPES: Record<Dialect, (c: Col) => string> = {
  sqlite: (c) =>
    c === 'pk' ? 'integer PRIMARY KEY AUTOINCREMENT' : c === 'uint' || c === 'int' ? 'integer' : c === 'bool' ? 'numeric'
      : c === 'time' ? 'datetime' : c === 'uuid' ? 'varchar(36) PRIMARY KEY' : c.startsWith('str:') ? `varchar(${c.slice(4)})` : c,
  postgres: (c) =>
    c === 'pk' ? 'bigserial PRIMARY KEY' : c === 'uint' || c === 'int' ? 'bigint' : c === 'bool' ? 'boolean'
      : c === 'time' ? 'timestamptz' : c === 'uuid' ? 'varchar(36) PRIMARY KEY' : c.startsWith('str:') ? `varchar(${c.slice(4)})` : c,
  mysql: (c) =>
    c === 'pk' ? 'bigint unsigned AUTO_INCREMENT PRIMARY KEY' : c === 'uint' ? 'bigint unsigned' : c === 'int' ? 'bigint'
      : c === 'bool' ? 'boolean' : c === 'time' ? 'datetime(3)' : c === 'text' ? 'longtext' : c === 'uuid' ? 'varchar(36) PRIMARY KEY'
      : c.startsWith('str:') ? `varchar(${c.slice(4)})` : c,
}

const quote = (d: Dialect, n: string) => (d === 'mysql' ? `\`${n}\`` : `"${n}"`)

export function schemaStatements(d: Dialect): string[] {
  return TABLES.map((t) => {
    const cols = t.cols.map(([n, c, more]) => `${quote(d, n)} ${TYPES[d](c)}${more ? ` ${more}` : ''}`)
    const extra = (t.extra ?? []).map((e) => e.replace(/\((.*)\)/, (_, names: string) => `(${names.split(',').map((x) => quote(d, x.trim())).join(', ')})`))
    return `CREATE TABLE ${quote(d, t.name)} (${[...cols, ...extra].join(', ')})`
  })
}

// ---- GPT-Load's key sealing, written with WebCrypto (the importer uses node:crypto) ----

async function derive(encryptionKey: string): Promise<ArrayBuffer> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(encryptionKey), 'PBKDF2', false, ['deriveBits'])
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode('gpt-load-encryption-v1'), iterations: 100_000 }, base, 256)
}
const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex')

export interface GptCipher {
  seal(plain: string): Promise<string>
  hash(plain: string): Promise<string>
}

export async function gptCipher(encryptionKey: string): Promise<GptCipher> {
  const raw = await derive(encryptionKey)
  const aes = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt'])
  const mac = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return {
    async seal(plain) {
      const nonce = crypto.getRandomValues(new Uint8Array(12))
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, aes, new TextEncoder().encode(plain))
      return hex(nonce) + hex(sealed) // WebCrypto appends the 16-byte tag, as Go's Seal does
    },
    hash: async (plain) => hex(await crypto.subtle.sign('HMAC', mac, new TextEncoder().encode(plain))),
  }
}

export const plainHash = (plain: string) => new Bun.CryptoHasher('sha256').update(plain).digest('hex')

// ---- the data ----

export const TEST_ENCRYPTION_KEY = 'gpt-load-test-encryption-key-7f3a9c'

export type Row = Record<string, unknown>
export interface FixtureData {
  tables: [string, Row[]][]
  /** what keypool should hold afterwards */
  expect: {
    keys: Record<string, { key: string; status: string; notes: string; failure_count: number; request_count: number }[]>
  }
}

/** Times as each dialect's GORM driver writes them: SQLite text with an offset, Date objects elsewhere. */
function at(d: Dialect, iso: string): unknown {
  if (d !== 'sqlite') return new Date(iso)
  const t = new Date(iso)
  // e.g. 2025-08-01 20:00:00.123456789+08:00 (Go's layout, in a +08:00 zone as GPT-Load's Docker image often runs)
  const local = new Date(t.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '')
  return `${local}456789+08:00`
}

const j = (v: unknown) => JSON.stringify(v)

export async function fixtureData(d: Dialect, upstreamUrl: string): Promise<FixtureData> {
  const c = await gptCipher(TEST_ENCRYPTION_KEY)
  const b = (v: boolean) => (d === 'postgres' ? v : v ? 1 : 0)
  const now = at(d, '2025-08-01T12:00:00.000Z')
  const group = (id: number, name: string, over: Row): Row => ({
    id, name, display_name: name.toUpperCase(), proxy_keys: '', description: `${name} group`, group_type: 'standard',
    upstreams: j([{ url: upstreamUrl, weight: 1 }]), validation_endpoint: '', channel_type: 'openai', sort: id,
    test_model: 'gpt-4o-mini', param_overrides: j({}), config: j({}), header_rules: j([]), model_redirect_rules: j({}),
    model_redirect_strict: b(false), created_at: now, updated_at: now, ...over,
  })
  const key = async (id: number, groupId: number, plain: string, over: Row = {}, sealed = true): Promise<Row> => ({
    id, group_id: groupId, key_value: sealed ? await c.seal(plain) : plain, key_hash: sealed ? await c.hash(plain) : plainHash(plain),
    status: 'active', notes: '', request_count: 0, failure_count: 0, last_used_at: null, created_at: now, updated_at: now, ...over,
  })
  const log = async (id: string, iso: string, groupId: number, groupName: string, plain: string, over: Row = {}): Promise<Row> => ({
    id, timestamp: at(d, iso), group_id: groupId, group_name: groupName, parent_group_id: 0, parent_group_name: '',
    key_value: await c.seal(plain), key_hash: await c.hash(plain), model: 'gpt-4o-mini', is_success: b(true), source_ip: '10.0.0.7',
    status_code: 200, request_path: '/proxy/openai-main/v1/chat/completions', duration: 420, error_message: '',
    user_agent: 'openai-python/1.40', request_type: 'final', upstream_addr: upstreamUrl, is_stream: b(false), request_body: '', ...over,
  })
  return {
    tables: [
      ['groups', [
        group(1, 'openai-main', { proxy_keys: 'grp-proxy-1,grp-proxy-2', config: j({ max_retries: 2, blacklist_threshold: 5, some_gpt_only_knob: 1 }), header_rules: j([{ key: 'X-Team', value: 'a', action: 'set' }]), model_redirect_rules: j({ 'gpt-4': 'gpt-4o-mini' }) }),
        group(2, 'claude', { channel_type: 'anthropic', test_model: 'claude-3-5-haiku-latest' }),
        group(3, 'mix', { group_type: 'aggregate', upstreams: j([]), description: 'both openai groups' }),
        group(4, 'openai-b', {}),
      ]],
      ['group_sub_groups', [
        { id: 1, group_id: 3, sub_group_id: 1, weight: 3, created_at: now, updated_at: now },
        { id: 2, group_id: 3, sub_group_id: 4, weight: 1, created_at: now, updated_at: now },
      ]],
      ['api_keys', [
        await key(1, 1, 'sk-ok-import-0001', { notes: 'team A', request_count: 12, last_used_at: at(d, '2025-08-01T11:00:00.000Z') }),
        await key(2, 1, 'sk-bad-import-0002', { status: 'invalid', failure_count: 3, request_count: 7 }),
        // stored before ENCRYPTION_KEY was set: the plain key, hashed with plain SHA-256
        await key(3, 1, 'sk-ok-import-plain3', {}, false),
        await key(4, 2, 'sk-ant-ok-import-4'),
        await key(5, 4, 'sk-ok-import-b-0005', { notes: 'spare' }),
      ]],
      ['system_settings', [
        { id: 1, setting_key: 'max_retries', setting_value: '5', description: '', created_at: now, updated_at: now },
        { id: 2, setting_key: 'request_log_retention_days', setting_value: '30', description: '', created_at: now, updated_at: now },
        { id: 3, setting_key: 'proxy_keys', setting_value: 'gpt-proxy-a,gpt-proxy-b', description: '', created_at: now, updated_at: now },
        { id: 4, setting_key: 'enable_request_body_logging', setting_value: 'true', description: '', created_at: now, updated_at: now },
        { id: 5, setting_key: 'gpt_only_setting', setting_value: 'x', description: '', created_at: now, updated_at: now },
      ]],
      ['request_logs', [
        await log('0f0e0d0c-0000-4000-8000-000000000001', '2025-08-01T10:00:00.250Z', 1, 'openai-main', 'sk-ok-import-0001'),
        await log('0f0e0d0c-0000-4000-8000-000000000002', '2025-08-01T10:05:00.000Z', 1, 'openai-main', 'sk-bad-import-0002', { is_success: b(false), status_code: 401, error_message: 'invalid api key', request_type: 'retry' }),
        await log('0f0e0d0c-0000-4000-8000-000000000003', '2025-08-01T10:05:01.000Z', 1, 'openai-main', 'sk-ok-import-0001', { is_stream: b(true) }),
      ]],
    ],
    expect: {
      keys: {
        'openai-main': [
          { key: 'sk-ok-import-0001', status: 'active', notes: 'team A', failure_count: 0, request_count: 12 },
          { key: 'sk-bad-import-0002', status: 'invalid', notes: '', failure_count: 3, request_count: 7 },
          { key: 'sk-ok-import-plain3', status: 'active', notes: '', failure_count: 0, request_count: 0 },
        ],
        claude: [{ key: 'sk-ant-ok-import-4', status: 'active', notes: '', failure_count: 0, request_count: 0 }],
        'openai-b': [{ key: 'sk-ok-import-b-0005', status: 'active', notes: 'spare', failure_count: 0, request_count: 0 }],
      },
    },
  }
}

/** Placeholders of a dialect for one INSERT row. */
export function insertText(d: Dialect, table: string, row: Row): { text: string; values: unknown[] } {
  const cols = Object.keys(row)
  const ph = cols.map((_, i) => (d === 'postgres' ? `$${i + 1}` : '?'))
  return { text: `INSERT INTO ${quote(d, table)} (${cols.map((c) => quote(d, c)).join(', ')}) VALUES (${ph.join(', ')})`, values: Object.values(row) }
}
