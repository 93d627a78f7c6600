/**
 * Opens the configured usage log: SQLite under the data directory by default, PostgreSQL when a URL
 * is given (several nodes sharing one log).
 */
import { join } from 'node:path';
import { BatchingUsageLog, type BatchingUsageLogOptions } from './batching-usage-log.js';
import { PostgresUsageSink } from './postgres-usage-sink.js';
import { SqliteUsageSink } from './sqlite-usage-sink.js';
import type { UsageLog } from './usage-log.js';

export interface UsageLogConfig extends BatchingUsageLogOptions {
  /** `postgres://...` selects PostgreSQL; otherwise SQLite. */
  url?: string;
  /** Directory of the SQLite file. */
  dataDir?: string;
  /** SQLite file name within dataDir. */
  fileName?: string;
  /** PostgreSQL schema. */
  schema?: string;
}

export async function openUsageLog(config: UsageLogConfig): Promise<UsageLog> {
  const sink =
    config.url !== undefined && /^postgres(ql)?:\/\//.test(config.url)
      ? await PostgresUsageSink.open({ url: config.url, schema: config.schema })
      : new SqliteUsageSink(join(config.dataDir ?? 'data', config.fileName ?? 'usage.db'));
  const log = new BatchingUsageLog(sink, config);
  // Retention also runs once at start, so a node that restarts often still prunes.
  if (config.retentionDays !== undefined) void log.applyRetention();
  return log;
}
