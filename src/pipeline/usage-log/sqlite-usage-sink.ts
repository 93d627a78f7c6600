/**
 * Usage records in an embedded SQLite file (libsql, better-sqlite3 API). WAL mode lets queries read
 * while a batch is written. Calls are synchronous but only ever made for whole batches off the request
 * path, each batch in one transaction.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import {
  BUCKET_MS,
  type UsageAggregate,
  type UsageLogRecord,
  type UsageQuery,
  usageRowValues,
} from './usage-log-record.js';
import {
  AGGREGATES,
  type AggregateRow,
  filterColumns,
  groupColumns,
  toAggregate,
} from './usage-query-sql.js';
import type { UsageSink } from './usage-sink.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS usage_records (
  time INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  key_name TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT,
  upstream_model TEXT,
  input_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_usd REAL,
  latency_ms INTEGER NOT NULL,
  ttft_ms INTEGER,
  status INTEGER NOT NULL,
  cache_hit INTEGER NOT NULL,
  attempts INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_records_time ON usage_records (time);
CREATE INDEX IF NOT EXISTS usage_records_key_time ON usage_records (key_name, time);
`;

const INSERT = `INSERT INTO usage_records (time, request_id, key_name, model, provider, upstream_model,
  input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_usd,
  latency_ms, ttft_ms, status, cache_hit, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class SqliteUsageSink implements UsageSink {
  private readonly db: Database.Database;
  private readonly insertMany: (records: readonly UsageLogRecord[]) => void;

  /** Opens (creating if needed) the database file and its schema. */
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    const insert = this.db.prepare(INSERT);
    this.insertMany = this.db.transaction((records: readonly UsageLogRecord[]) => {
      for (const r of records) {
        insert.run(
          ...usageRowValues(
            r,
            (ms) => ms,
            (value) => (value ? 1 : 0),
          ),
        );
      }
    });
  }

  journalMode(): string {
    const rows = this.db.prepare('PRAGMA journal_mode').all() as Array<{ journal_mode: string }>;
    return rows[0]?.journal_mode ?? 'unknown';
  }

  async insert(records: readonly UsageLogRecord[]): Promise<void> {
    this.insertMany(records);
  }

  async query(query: UsageQuery): Promise<UsageAggregate[]> {
    const groups = groupColumns(query);
    const filters = filterColumns(query);
    const bucketMs = BUCKET_MS[query.bucket];
    const groupSql = groups.map(([, column]) => `, ${column}`).join('');
    const orderSql = groups.map(([, column]) => `, ${column} NULLS FIRST`).join('');
    const sql = `SELECT (time / ${bucketMs}) * ${bucketMs} AS bucket_start${groupSql}, ${AGGREGATES}
      FROM usage_records WHERE time >= ? AND time < ?${filters.map(([column]) => ` AND ${column} = ?`).join('')}
      GROUP BY bucket_start${groupSql} ORDER BY bucket_start${orderSql}`;
    const rows = this.db.prepare(sql).all(query.from, query.to, ...filters.map(([, value]) => value));
    return (rows as AggregateRow[]).map((row) => toAggregate(row, groups));
  }

  async deleteBefore(cutoff: number): Promise<number> {
    return this.db.prepare('DELETE FROM usage_records WHERE time < ?').run(cutoff).changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
