// Ordered list of PostgreSQL migrations, embedded as strings. Append new files here after `drizzle-kit generate`.
import type { Migration } from '../../migrate'
import init from './0000_init.sql' with { type: 'text' }
import logsKeyIdIndex from './0001_logs_key_id_index.sql' with { type: 'text' }
import logsRequestType from './0002_logs_request_type.sql' with { type: 'text' }
import logsProtocols from './0003_logs_protocols.sql' with { type: 'text' }
import groupRouting from './0004_group_routing.sql' with { type: 'text' }
import cost from './0005_cost.sql' with { type: 'text' }
import alertHistory from './0006_alert_history.sql' with { type: 'text' }
import accessKeys from './0007_access_keys.sql' with { type: 'text' }
import logsCacheHit from './0008_logs_cache_hit.sql' with { type: 'text' }

export const pgMigrations: Migration[] = [
  { name: '0000_init', sql: init },
  { name: '0001_logs_key_id_index', sql: logsKeyIdIndex },
  { name: '0002_logs_request_type', sql: logsRequestType },
  { name: '0003_logs_protocols', sql: logsProtocols },
  { name: '0004_group_routing', sql: groupRouting },
  { name: '0005_cost', sql: cost },
  { name: '0006_alert_history', sql: alertHistory },
  { name: '0007_access_keys', sql: accessKeys },
  { name: '0008_logs_cache_hit', sql: logsCacheHit },
]
