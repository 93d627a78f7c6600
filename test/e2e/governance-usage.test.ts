/**
 * The usage log on real gateway processes: one record per request lands in SQLite (the default, a
 * file under data_dir) and in the real PostgreSQL on this machine (own schema, dropped afterwards),
 * with key, model, provider, tokens, cost, status, cache hit and attempts; /admin/usage aggregates it
 * by key, model, provider and time bucket. A queue filled past its bound (the database unreachable)
 * drops records and counts them in /admin/usage/stats and /admin/metrics, and requests never wait.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, TEST_POSTGRES_URL } from '../../src/storage/testing/require-service.js';
import { rawRequest } from '../support/chat-client.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';

const pgAvailable = await postgresAvailable();
const ADMIN = 'governance-usage-admin';
const KEYS = { a: 'sk-usage-a', b: 'sk-usage-b' };

const config = (usage: string, dataDir = '') => `
[server]
listen = "127.0.0.1:0"
${dataDir === '' ? '' : `data_dir = "${dataDir}"`}

[admin]
token = "${ADMIN}"

[usage]
${usage}

[cache]
enabled = true

[[keys]]
name = "team-a"
key = "${KEYS.a}"

[[keys]]
name = "team-b"
key = "${KEYS.b}"
rpm = 1

[providers.echo]
type = "echo"

[[models]]
alias = "fast"
targets = ["echo/fast"]

[[models]]
alias = "smart"
targets = ["echo/smart"]

[[pricing]]
model = "echo/*"
input = 1000
output = 2000
`;

/** Traffic with a known shape: team-a 3 requests (one a cache hit), team-b 1 ok + 1 refused (429). */
async function traffic(gateway: GatewayProcess): Promise<void> {
  const send = (key: string, model: string, content: string, stream = false) =>
    rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model, stream, messages: [{ role: 'user', content }] },
      headers: { authorization: `Bearer ${key}` },
    });
  expect((await send(KEYS.a, 'fast', 'alpha beta gamma delta')).status).toBe(200); // 6 in, 4 out
  expect((await send(KEYS.a, 'fast', 'alpha beta gamma delta')).headers.get('x-junction-cache')).toBe('hit');
  expect((await send(KEYS.a, 'smart', 'one two', true)).status).toBe(200); // 2 in, 2 out
  expect((await send(KEYS.b, 'smart', 'b1')).status).toBe(200);
  expect((await send(KEYS.b, 'smart', 'b2')).status).toBe(429);
}

interface UsageRow {
  key?: string;
  model?: string;
  provider?: string | null;
  requests: number;
  errors: number;
  cache_hits: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

async function usageRows(gateway: GatewayProcess, query: string): Promise<UsageRow[]> {
  const response = await rawRequest(`${gateway.baseURL}/admin/usage?${query}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(response.status).toBe(200);
  return (response.json as { rows: UsageRow[] }).rows;
}

/** What both databases must report for `traffic`, grouped by key and model. */
async function expectAggregates(gateway: GatewayProcess): Promise<void> {
  const rows = await usageRows(gateway, 'group_by=key,model&bucket=day');
  const pick = (key: string, model: string) => rows.find((row) => row.key === key && row.model === model);
  expect(pick('team-a', 'fast')).toMatchObject({
    requests: 2,
    errors: 0,
    cache_hits: 1,
    input_tokens: 12,
    output_tokens: 8,
  });
  // Only the miss cost anything: 6 * $1000/M + 4 * $2000/M = $0.014.
  expect(pick('team-a', 'fast')?.cost_usd).toBeCloseTo(0.014, 9);
  expect(pick('team-a', 'smart')).toMatchObject({
    requests: 1,
    cache_hits: 0,
    input_tokens: 2,
    output_tokens: 2,
  });
  expect(pick('team-b', 'smart')).toMatchObject({ requests: 2, errors: 1 });
  const byProvider = await usageRows(gateway, 'group_by=provider&bucket=hour&key=team-b');
  // The refused request never reached a provider.
  expect(byProvider.map((row) => [row.provider, row.requests])).toEqual([
    [null, 1],
    ['echo', 1],
  ]);
}

describe('usage log in SQLite (the default)', () => {
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'junction-gov-usage-'));
    gateway = await startGateway({ config: config('retention_days = 30', dataDir) });
  });

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records every request in <data_dir>/usage.db and aggregates it in /admin/usage', async () => {
    await traffic(gateway);
    await expectAggregates(gateway);
    const db = new Database(join(dataDir, 'usage.db'), { readonly: true });
    const rows = db
      .prepare(
        'SELECT key_name, model, provider, upstream_model, input_tokens, output_tokens, cost_usd, status, cache_hit, attempts, ttft_ms FROM usage_records ORDER BY time',
      )
      .all() as Array<Record<string, unknown>>;
    db.close();
    expect(rows.map((row) => [row.key_name, row.model, row.status, row.cache_hit])).toEqual([
      ['team-a', 'fast', 200, 0],
      ['team-a', 'fast', 200, 1],
      ['team-a', 'smart', 200, 0],
      ['team-b', 'smart', 200, 0],
      ['team-b', 'smart', 429, 0],
    ]);
    expect(rows[0]).toMatchObject({
      provider: 'echo',
      upstream_model: 'fast',
      input_tokens: 6,
      output_tokens: 4,
      attempts: 1,
    });
    expect(rows[0]?.cost_usd).toBeCloseTo(0.014, 9);
    expect(rows[1]?.cost_usd).toBe(0);
    expect(typeof rows[2]?.ttft_ms).toBe('number');
    expect(rows[4]).toMatchObject({ provider: null, attempts: 0, input_tokens: 0 });
  });
});

describe.skipIf(!pgAvailable)('usage log in PostgreSQL', () => {
  const schema = `junction_e2e_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGateway({ config: config(`url = "${TEST_POSTGRES_URL}"\nschema = "${schema}"`) });
  });

  afterAll(async () => {
    await gateway?.stop();
    const sql = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const left = await sql`select 1 from pg_namespace where nspname = ${schema}`;
    await sql.end();
    expect(left).toHaveLength(0);
  });

  it('writes the same records to the configured schema', async () => {
    await traffic(gateway);
    await expectAggregates(gateway);
    const sql = postgres(TEST_POSTGRES_URL, { max: 1 });
    const rows = await sql.unsafe(
      `SELECT key_name, model, status, cache_hit, cost_usd, input_tokens FROM "${schema}".usage_records ORDER BY time`,
    );
    await sql.end();
    expect(rows.map((row) => [row.key_name, row.model, row.status, row.cache_hit])).toEqual([
      ['team-a', 'fast', 200, false],
      ['team-a', 'fast', 200, true],
      ['team-a', 'smart', 200, false],
      ['team-b', 'smart', 200, false],
      ['team-b', 'smart', 429, false],
    ]);
    expect(Number(rows[0]?.cost_usd)).toBeCloseTo(0.014, 9);
  });
});

describe('a full usage queue', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    // The database is unreachable and the queue holds 3: records beyond it are dropped, and counted.
    gateway = await startGateway({
      config: config(
        'url = "postgres://postgres@127.0.0.1:1/nowhere"\nqueue_size = 3\nflush_interval = "1h"',
      ),
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('drops what does not fit, counts it, and never makes a request wait', async () => {
    const started = performance.now();
    for (let i = 0; i < 10; i++) {
      const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
        body: { model: 'fast', messages: [{ role: 'user', content: `request ${i}` }] },
        headers: { authorization: `Bearer ${KEYS.a}` },
      });
      expect(response.status).toBe(200);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    const auth = { authorization: `Bearer ${ADMIN}` };
    const stats = await rawRequest(`${gateway.baseURL}/admin/usage/stats`, { headers: auth });
    expect(stats.json).toMatchObject({ backend: 'postgres', queued: 3, dropped: 7, written: 0 });
    const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, { headers: auth });
    expect(metrics.text).toContain('junction_usage_log_records{state="dropped"} 7');
    expect(metrics.text).toContain('junction_usage_log_records{state="queued"} 3');
    await gateway.waitForLog(
      (line) => typeof line.msg === 'string' && line.msg.includes('dropping usage records'),
    );
  });
});
