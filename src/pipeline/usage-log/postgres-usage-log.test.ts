import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAvailable, TEST_POSTGRES_URL } from '../../storage/testing/require-service.js';
import { BatchingUsageLog } from './batching-usage-log.js';
import { openUsageLog } from './open-usage-log.js';
import { PostgresUsageSink } from './postgres-usage-sink.js';
import { usageLogContract, usageRecord } from './usage-log.contract.js';
import type { UsageSink } from './usage-sink.js';

const available = await postgresAvailable();
const runId = randomUUID().replaceAll('-', '').slice(0, 12);
const schemas: string[] = [];

async function dropSchemas(): Promise<void> {
  const sql = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  for (const schema of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  const left = await sql`select nspname from pg_namespace where nspname like ${`junction_test_${runId}%`}`;
  await sql.end();
  expect(left).toHaveLength(0);
}

describe.skipIf(!available)('PostgreSQL usage log', () => {
  afterAll(dropSchemas);
  // One schema per log, so every contract test starts from an empty table.
  usageLogContract('postgres', {
    open: async (options) => {
      const schema = `junction_test_${runId}_${schemas.length}`;
      schemas.push(schema);
      return new BatchingUsageLog(await PostgresUsageSink.open({ url: TEST_POSTGRES_URL, schema }), options);
    },
    cleanup: async () => {}, // the outer afterAll drops every schema, after the tests below too
  });

  it('writes a 1000-record batch in one INSERT transaction and opens from a postgres:// URL', async () => {
    const schema = `junction_test_${runId}_url`;
    schemas.push(schema);
    const log = await openUsageLog({
      url: TEST_POSTGRES_URL,
      schema,
      flushIntervalMs: 60_000,
      batchSize: 1000,
    });
    for (let i = 0; i < 1000; i++) log.append(usageRecord({ requestId: `r${i}` }));
    await log.flush();
    const sql = postgres(TEST_POSTGRES_URL, { max: 1 });
    const [statements] = await sql`select count(*)::int as n, count(distinct xmin::text)::int as transactions
      from ${sql(schema)}.usage_records`;
    await sql.end();
    expect(statements).toEqual({ n: 1000, transactions: 1 });
    await log.close();
  });

  it('logs a record once when a batch committed but its acknowledgement was lost and the batch is retried', async () => {
    const schema = `junction_test_${runId}_ambiguous`;
    schemas.push(schema);
    const sink = await PostgresUsageSink.open({ url: TEST_POSTGRES_URL, schema });
    let lost = 1;
    // The first INSERT commits, then the client sees the connection fail, as after a network cut.
    const flaky: UsageSink = {
      insert: async (records) => {
        await sink.insert(records);
        if (lost-- > 0) throw new Error('Connection terminated unexpectedly');
      },
      query: (query) => sink.query(query),
      deleteBefore: (cutoff) => sink.deleteBefore(cutoff),
      close: () => sink.close(),
    };
    const log = new BatchingUsageLog(flaky, { flushIntervalMs: 60_000, maxAttempts: 3 });
    for (let i = 0; i < 5; i++) log.append(usageRecord({ requestId: `r${i}` }));
    await log.flush();
    expect(log.stats()).toMatchObject({ queued: 5, failedWrites: 1 });
    log.append(usageRecord({ requestId: 'r5' }));
    await log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 6 });
    const sql = postgres(TEST_POSTGRES_URL, { max: 1 });
    const rows = await sql`select request_id from ${sql(schema)}.usage_records order by request_id`;
    await sql.end();
    expect(rows.map((row) => row.request_id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    await log.close();
  });

  it('opens a table written before record ids and adds the column', async () => {
    const schema = `junction_test_${runId}_legacy`;
    schemas.push(schema);
    const sql = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
    await sql.unsafe(`CREATE SCHEMA "${schema}"`);
    await sql.unsafe(`CREATE TABLE "${schema}".usage_records (
      time timestamptz NOT NULL, request_id text NOT NULL, key_name text NOT NULL, model text NOT NULL,
      provider text, upstream_model text, input_tokens integer NOT NULL, cached_input_tokens integer NOT NULL,
      cache_write_tokens integer NOT NULL, output_tokens integer NOT NULL, reasoning_tokens integer NOT NULL,
      cost_usd double precision, latency_ms integer NOT NULL, ttft_ms integer, status smallint NOT NULL,
      cache_hit boolean NOT NULL, attempts smallint NOT NULL)`);
    await sql.unsafe(
      `INSERT INTO "${schema}".usage_records VALUES (now(), 'old', 'k', 'm', null, null, 1, 0, 0, 1, 0, null, 5, null, 200, false, 1)`,
    );
    const log = new BatchingUsageLog(await PostgresUsageSink.open({ url: TEST_POSTGRES_URL, schema }), {
      flushIntervalMs: 60_000,
    });
    log.append(usageRecord({ requestId: 'new' }));
    await log.flush();
    const rows = await sql.unsafe(
      `SELECT request_id, record_id IS NOT NULL AS has_id FROM "${schema}".usage_records ORDER BY request_id`,
    );
    await sql.end();
    expect(rows.map((row) => [row.request_id, row.has_id])).toEqual([
      ['new', true],
      ['old', false],
    ]);
    await log.close();
  });
});
