/**
 * Usage records in PostgreSQL, for several gateway nodes sharing one log. The schema is created when
 * missing (under an advisory lock, so nodes starting together do not race) and each batch is ONE
 * multi-row INSERT.
 *
 * A batch whose INSERT failed is retried (BatchingUsageLog), but a failure can be ambiguous: the
 * connection may drop after the server committed. Each record therefore gets an id on its first attempt,
 * kept for its retries, and a retried row that is already there is skipped (ON CONFLICT DO NOTHING), so
 * a record is logged once, never twice.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import {
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

const COLUMNS = [
  'time',
  'request_id',
  'key_name',
  'model',
  'provider',
  'upstream_model',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_ms',
  'ttft_ms',
  'status',
  'cache_hit',
  'attempts',
  'record_id',
] as const;

// PostgreSQL takes at most 65535 parameters per statement.
const MAX_ROWS_PER_INSERT = Math.floor(65_535 / COLUMNS.length);

export interface PostgresUsageSinkOptions {
  url: string;
  /** Schema holding the table; created if missing. */
  schema?: string;
  maxConnections?: number;
}

type Value = string | number | boolean | Date | null;

export class PostgresUsageSink implements UsageSink {
  private readonly table: string;
  /** Each record's id, given on its first insert attempt and reused by its retries. */
  private readonly ids = new WeakMap<UsageLogRecord, string>();

  private constructor(
    private readonly sql: postgres.Sql,
    private readonly schema: string,
  ) {
    this.table = `${schema}.usage_records`;
  }

  static async open(options: PostgresUsageSinkOptions): Promise<PostgresUsageSink> {
    const schema = quoteIdentifier(options.schema ?? 'public');
    const sql = postgres(options.url, { max: options.maxConnections ?? 2, onnotice: () => {} });
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe("SELECT pg_advisory_xact_lock(hashtext('junction_usage_schema'))");
        await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${schema}.usage_records (
          time timestamptz NOT NULL,
          request_id text NOT NULL,
          key_name text NOT NULL,
          model text NOT NULL,
          provider text,
          upstream_model text,
          input_tokens integer NOT NULL,
          cached_input_tokens integer NOT NULL,
          cache_write_tokens integer NOT NULL,
          output_tokens integer NOT NULL,
          reasoning_tokens integer NOT NULL,
          cost_usd double precision,
          latency_ms integer NOT NULL,
          ttft_ms integer,
          status smallint NOT NULL,
          cache_hit boolean NOT NULL,
          attempts smallint NOT NULL
        )`);
        // Tables made before record ids: the column is added; their old rows keep a null id.
        await tx.unsafe(`ALTER TABLE ${schema}.usage_records ADD COLUMN IF NOT EXISTS record_id uuid`);
        await tx.unsafe(
          `CREATE UNIQUE INDEX IF NOT EXISTS usage_records_record_id ON ${schema}.usage_records (record_id)`,
        );
        await tx.unsafe(`CREATE INDEX IF NOT EXISTS usage_records_time ON ${schema}.usage_records (time)`);
        await tx.unsafe(
          `CREATE INDEX IF NOT EXISTS usage_records_key_time ON ${schema}.usage_records (key_name, time)`,
        );
      });
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw error;
    }
    return new PostgresUsageSink(sql, schema);
  }

  async insert(records: readonly UsageLogRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += MAX_ROWS_PER_INSERT) {
      const chunk = records.slice(start, start + MAX_ROWS_PER_INSERT);
      const values: Value[] = [];
      const rows = chunk.map((record) => {
        const row = rowValues(record);
        row.push(this.idOf(record));
        const placeholders = row.map((_, i) => `$${values.length + i + 1}`);
        values.push(...row);
        return `(${placeholders.join(', ')})`;
      });
      await this.sql.unsafe(
        `INSERT INTO ${this.table} (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT (record_id) DO NOTHING`,
        values,
      );
    }
  }

  private idOf(record: UsageLogRecord): string {
    let id = this.ids.get(record);
    if (id === undefined) {
      id = randomUUID();
      this.ids.set(record, id);
    }
    return id;
  }

  async query(query: UsageQuery): Promise<UsageAggregate[]> {
    const groups = groupColumns(query);
    const filters = filterColumns(query);
    const groupSql = groups.map(([, column]) => `, ${column}`).join('');
    const orderSql = groups.map(([, column]) => `, ${column} NULLS FIRST`).join('');
    const filterSql = filters.map(([column], i) => ` AND ${column} = $${i + 4}`).join('');
    const rows = await this.sql.unsafe(
      `SELECT (EXTRACT(EPOCH FROM date_trunc($3, time, 'UTC')) * 1000)::float8 AS bucket_start${groupSql}, ${AGGREGATES}
       FROM ${this.table} WHERE time >= $1 AND time < $2${filterSql}
       GROUP BY bucket_start${groupSql} ORDER BY bucket_start${orderSql}`,
      [new Date(query.from), new Date(query.to), query.bucket, ...filters.map(([, value]) => value)],
    );
    return (rows as AggregateRow[]).map((row) => toAggregate(row, groups));
  }

  async deleteBefore(cutoff: number): Promise<number> {
    const result = await this.sql.unsafe(`DELETE FROM ${this.table} WHERE time < $1`, [new Date(cutoff)]);
    return result.count;
  }

  /** Drops the schema and everything in it (tests use one schema per run). */
  async dropSchema(): Promise<void> {
    await this.sql.unsafe(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

function rowValues(r: UsageLogRecord): Value[] {
  return usageRowValues(
    r,
    (ms) => new Date(ms),
    (value) => value,
  );
}

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid PostgreSQL schema name: ${name}`);
  return `"${name}"`;
}
