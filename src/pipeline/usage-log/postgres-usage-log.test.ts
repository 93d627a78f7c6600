import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAvailable, TEST_POSTGRES_URL } from '../../storage/testing/require-service.js';
import { BatchingUsageLog } from './batching-usage-log.js';
import { openUsageLog } from './open-usage-log.js';
import { PostgresUsageSink } from './postgres-usage-sink.js';
import { usageLogContract, usageRecord } from './usage-log.contract.js';

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
});
