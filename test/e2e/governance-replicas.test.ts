/**
 * Two gateway processes behind one "load balancer" (requests alternate between them), sharing the real
 * Redis for limits and budgets and the real PostgreSQL for the usage log, in front of an OpenAI-wire
 * upstream that reports usage the way OpenAI does (in a stream only when asked for with
 * stream_options.include_usage). What a platform team running replicas relies on: streamed requests
 * spend budgets like any other, and the usage log holds one priced record per request.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteKeysWithPrefix } from '../../src/storage/testing/redis-test-space.js';
import {
  postgresAvailable,
  redisAvailable,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from '../../src/storage/testing/require-service.js';
import { rawRequest } from '../support/chat-client.js';
import type { FaultUpstream } from '../support/fault-upstream.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';
import { startProxy, type TcpProxy } from '../support/tcp-proxy.js';

const available = (await redisAvailable()) && (await postgresAvailable());
const RUN = randomUUID().slice(0, 8);
const PREFIX = `junction-e2e-replicas-${RUN}:`;
const SCHEMA = `junction_replicas_${RUN}`;
const ADMIN = 'replicas-admin';

const config = (upstream: FaultUpstream) => `
[server]
listen = "127.0.0.1:0"
require_auth = true

[admin]
token = "${ADMIN}"

[limits]
backend = "redis"
url = "${TEST_REDIS_URL}"
key_prefix = "${PREFIX}"

[usage]
url = "${TEST_POSTGRES_URL}"
schema = "${SCHEMA}"
flush_interval = "100ms"

[providers.up]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-upstream"

[[models]]
alias = "m"
targets = ["up/mock-1"]

# The upstream always reports 7 input and 3 output tokens; input is free and an output token costs
# $0.01, so a request with max_tokens = 3 reserves exactly what it then spends: $0.03.
[[pricing]]
model = "mock-*"
input = 0
output = 10000
`;

describe.skipIf(!available)('two replicas sharing Redis and PostgreSQL', () => {
  let upstream: FaultUpstream;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let sql: postgres.Sql;

  beforeAll(async () => {
    upstream = await startFaultUpstream();
    [a, b] = await Promise.all([
      startGateway({ config: config(upstream) }),
      startGateway({ config: config(upstream) }),
    ]);
    sql = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  });

  beforeEach(() => upstream.reset());

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await upstream?.close();
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await sql?.end();
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(redis, PREFIX);
    await redis.quit();
  });

  const admin = (gateway: GatewayProcess, path: string, method = 'GET', body?: unknown) =>
    rawRequest(`${gateway.baseURL}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: { authorization: `Bearer ${ADMIN}` },
    });

  const createKey = async (body: Record<string, unknown>): Promise<string> => {
    const created = await admin(a, '/admin/keys', 'POST', body);
    expect(created.status).toBe(201);
    return (created.json as { secret: string }).secret;
  };

  const chat = (gateway: GatewayProcess, key: string, extra: Record<string, unknown> = {}) =>
    rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'm', messages: [{ role: 'user', content: 'hello' }], max_tokens: 3, ...extra },
      headers: { authorization: `Bearer ${key}` },
    });

  it('streamed requests on the fast path spend the budget: waves of 10 over both nodes stop at $0.30', async () => {
    const name = `stream-budget-${RUN}`;
    const secret = await createKey({ name, budget: { usd: 0.3, period: 'total' } });
    const statuses: number[] = [];
    const bodies: string[] = [];
    // Waves, so a request admitted in one wave has settled before the next: a stream that spent
    // nothing would leave the budget open for every wave.
    for (let wave = 0; wave < 3; wave++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => chat(i % 2 === 0 ? a : b, secret, { stream: true })),
      );
      statuses.push(...responses.map((response) => response.status));
      bodies.push(...responses.filter((r) => r.status === 200).map((r) => r.text));
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    // The relayed stream asked the upstream for usage, but the client, which did not, never sees it.
    expect(upstream.requests.every((request) => request.body.stream_options !== undefined)).toBe(true);
    for (const body of bodies) {
      expect(body).toContain('data: [DONE]');
      expect(body).not.toContain('"choices":[]');
    }
    for (const gateway of [a, b]) {
      expect((await admin(gateway, `/admin/keys/${name}`)).json).toMatchObject({
        budget_status: { period: 'total', limit_usd: 0.3, spent_usd: 0.3, held_usd: 0 },
      });
    }
    const rows = await usageRows(name, 30);
    const served = rows.filter((row) => row.status === 200);
    expect(served).toHaveLength(10);
    expect(served.map((row) => [row.output_tokens, Number(row.cost_usd)])).toEqual(Array(10).fill([3, 0.03]));
  });

  it('refusals caused only by requests in flight say to retry in a second, and a retry then fits', async () => {
    const name = `in-flight-${RUN}`;
    const secret = await createKey({ name, budget: { usd: 0.3, period: 'total' } });
    upstream.setScript(() => ({ headerDelayMs: 300 }));
    // max_tokens = 6 reserves $0.06 but the answer costs $0.03: 5 fit at once, then half the budget is left.
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => chat(i % 2 === 0 ? a : b, secret, { max_tokens: 6 })),
    );
    const refused = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(15);
    expect(new Set(refused.map((response) => response.headers.get('retry-after')))).toEqual(new Set(['1']));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await chat(a, secret, { max_tokens: 6 })).status).toBe(200);
    // Settled just after the answer went out.
    await vi.waitFor(async () =>
      expect((await admin(b, `/admin/keys/${name}`)).json).toMatchObject({
        budget_status: { spent_usd: 0.18, held_usd: 0 },
      }),
    );
  });

  it('a stream the client hangs up on is charged for what it delivered, relayed or translated, not released', async () => {
    const name = `hang-up-${RUN}`;
    const secret = await createKey({ name, budget: { usd: 10, period: 'total' } });
    upstream.setScript(() => ({ pieces: Array(20).fill('word '), pieceDelayMs: 100 }));
    const hangUp = async (path: string, headers: Record<string, string>, body: Record<string, unknown>) => {
      const abort = new AbortController();
      const response = await fetch(`${a.baseURL}${path}`, {
        method: 'POST',
        signal: abort.signal,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      await new Promise((resolve) => setTimeout(resolve, 350));
      abort.abort();
    };
    const messages = [{ role: 'user', content: 'hello' }];
    // OpenAI chat to an OpenAI upstream: the byte relay. Anthropic Messages to it: the translated path.
    await hangUp(
      '/v1/chat/completions',
      { authorization: `Bearer ${secret}` },
      {
        model: 'm',
        messages,
        max_tokens: 20,
        stream: true,
      },
    );
    await hangUp(
      '/v1/messages',
      { 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
      {
        model: 'm',
        messages,
        max_tokens: 20,
        stream: true,
      },
    );
    const rows = await usageRows(name, 2);
    expect(rows.map((row) => row.status)).toEqual([499, 499]);
    for (const row of rows) {
      // A few pieces were delivered before the hang-up: charged as output, never more than max_tokens.
      expect(Number(row.output_tokens)).toBeGreaterThan(0);
      expect(Number(row.output_tokens)).toBeLessThanOrEqual(20);
      expect(Number(row.cost_usd)).toBeGreaterThan(0);
    }
    const logged = rows.reduce((sum, row) => sum + Number(row.cost_usd), 0);
    await vi.waitFor(async () => {
      const status = (
        (await admin(b, `/admin/keys/${name}`)).json as { budget_status: Record<string, number> }
      ).budget_status;
      expect(status.held_usd).toBe(0);
      expect(status.spent_usd).toBeCloseTo(logged, 6);
    });
  });

  /** The key's usage records once `count` of them are in (each node flushes on its own interval). */
  async function usageRows(key: string, count: number): Promise<Array<Record<string, unknown>>> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const rows = await sql.unsafe(
        `SELECT request_id, status, output_tokens, cost_usd FROM "${SCHEMA}".usage_records WHERE key_name = $1 ORDER BY time`,
        [key],
      );
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});

describe.skipIf(!available)('a Redis outage while requests are in flight', () => {
  let upstream: FaultUpstream;
  let proxy: TcpProxy;
  let gateway: GatewayProcess;
  const prefix = `${PREFIX}outage:`;

  beforeAll(async () => {
    upstream = await startFaultUpstream();
    proxy = await startProxy(new URL(TEST_REDIS_URL));
    const toml = `${config(upstream)
      .replace(
        `url = "${TEST_REDIS_URL}"`,
        `url = "redis://127.0.0.1:${proxy.port}"\non_redis_failure = "fail_closed"`,
      )
      .replace(`key_prefix = "${PREFIX}"`, `key_prefix = "${prefix}"`)
      .replace(/\[usage\][^[]*/, '[usage]\nenabled = false\n\n')}
[[keys]]
name = "one-at-a-time"
key = "sk-one-at-a-time"
max_concurrent = 1
budget = { usd = 1, period = "total" }
`;
    gateway = await startGateway({ config: toml });
  });

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await upstream?.close();
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  const chat = () =>
    rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'm', messages: [{ role: 'user', content: 'hello' }], max_tokens: 3 },
      headers: { authorization: 'Bearer sk-one-at-a-time' },
    });

  it('returns the slot and records the spend of a request that ended during the outage, once Redis is back', async () => {
    upstream.setScript(() => ({ headerDelayMs: 800 }));
    const inFlight = chat();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await proxy.cut();
    // The request ends while Redis is unreachable: its slot and its $0.03 cannot be written yet.
    expect((await inFlight).status).toBe(200);
    expect((await chat()).status).toBe(503);
    await proxy.restore();
    upstream.setScript(() => ({}));
    // Without the replay the slot stayed taken until its 15-minute lease lapsed: 429 for max_concurrent = 1.
    await vi.waitFor(async () => expect((await chat()).status).toBe(200), { timeout: 10_000, interval: 200 });
    const status = await rawRequest(`${gateway.baseURL}/admin/keys/one-at-a-time`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(status.json).toMatchObject({ budget_status: { spent_usd: 0.06, held_usd: 0 } });
  }, 20_000);
});
