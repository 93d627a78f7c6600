/**
 * Two gateway processes sharing the real Redis on this machine: under concurrent load spread over
 * both, one RPM limit and one USD budget are enforced exactly (successes == the limit, never N times
 * it); a key created, rotated, revoked or restored, a policy changed or an entry cached on one node is
 * seen by the other; and when
 * Redis becomes unreachable a node applies its failure policy (fail_closed: 503; fail_open: serve),
 * logs it, and recovers by itself once Redis is back.
 */

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '../../src/storage/testing/redis-test-space.js';
import { redisAvailable, TEST_REDIS_URL } from '../../src/storage/testing/require-service.js';
import { errorEnvelope, rawRequest } from '../support/chat-client.js';
import { serverWithAdmin } from '../support/e2e-gateway.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';
import { startProxy, type TcpProxy } from '../support/tcp-proxy.js';

const available = await redisAvailable();
const PREFIX = `junction-e2e-${randomUUID().slice(0, 8)}:`;
const ADMIN = 'governance-redis-admin';
const KEYS = { rpm: 'sk-redis-rpm', budget: 'sk-redis-budget', free: 'sk-redis-free' };
const EIGHT_WORDS = 'one two three four five six seven eight';

const sharedConfig = (extra = '') => `${serverWithAdmin(ADMIN)}
[limits]
backend = "redis"
url = "${TEST_REDIS_URL}"
key_prefix = "${PREFIX}"
${extra}

[cache]
enabled = true
backend = "redis"

[[keys]]
name = "rpm"
key = "${KEYS.rpm}"
rpm = 10

[[keys]]
name = "budget"
key = "${KEYS.budget}"
budget = { usd = 0.1, period = "total" }

[[keys]]
name = "free"
key = "${KEYS.free}"

[providers.echo]
type = "echo"

[[models]]
alias = "echo"
targets = ["echo/echo"]

# max_tokens = 2 costs exactly $0.01: every request reserves and spends the same amount.
[[pricing]]
model = "echo"
input = 0
output = 5000
`;

describe.skipIf(!available)('two gateways sharing Redis', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startGateway({ config: sharedConfig() }),
      startGateway({ config: sharedConfig() }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await deleteKeys(PREFIX);
  });

  const chat = (gateway: GatewayProcess, key: string, extra: Record<string, unknown> = {}) =>
    rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'echo', messages: [{ role: 'user', content: EIGHT_WORDS }], ...extra },
      headers: { authorization: `Bearer ${key}` },
    });
  const admin = (gateway: GatewayProcess, path: string, method = 'GET', body?: unknown) =>
    rawRequest(`${gateway.baseURL}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: { authorization: `Bearer ${ADMIN}` },
    });

  it('enforces one RPM limit exactly: 40 parallel requests over both nodes, 10 succeed', async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => chat(i % 2 === 0 ? a : b, KEYS.rpm, { max_tokens: 1 })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30);
    // Each node alone would have admitted ten: ten in total means the one limit is shared.
    const refused = responses.find((response) => response.status === 429)!;
    expect(errorEnvelope(refused).code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('enforces one budget exactly: 40 parallel $0.01 requests over both nodes against $0.10, 10 succeed', async () => {
    const responses = await Promise.all(
      // Distinct questions, so no answer comes from the (shared) cache, which would cost nothing.
      Array.from({ length: 40 }, (_, i) =>
        chat(i % 2 === 0 ? a : b, KEYS.budget, {
          max_tokens: 2,
          messages: [{ role: 'user', content: `${EIGHT_WORDS} ${i}` }],
        }),
      ),
    );
    const ok = responses.filter((response) => response.status === 200);
    expect(ok).toHaveLength(10);
    expect(responses.filter((response) => response.status === 429).map((r) => errorEnvelope(r).code)).toEqual(
      Array(30).fill('budget_exceeded'),
    );
    expect(ok.map((response) => response.headers.get('x-junction-cost-usd'))).toEqual(Array(10).fill('0.01'));
    for (const gateway of [a, b]) {
      expect((await admin(gateway, '/admin/keys/budget')).json).toMatchObject({
        budget_status: { period: 'total', limit_usd: 0.1, spent_usd: 0.1, held_usd: 0 },
      });
    }
  });

  it('a key created on one node works on the other at once; revoked, it stops there too', async () => {
    const created = await admin(a, '/admin/keys', 'POST', { name: 'made-on-a', rpm: 100 });
    expect(created.status).toBe(201);
    const { secret } = created.json as { secret: string };
    expect((await chat(b, secret)).status).toBe(200);
    await admin(a, '/admin/keys/made-on-a', 'DELETE');
    await eventually(async () => expect((await chat(b, secret)).status).toBe(401));
    expect((await admin(b, '/admin/keys/made-on-a')).json).toMatchObject({ source: 'admin', revoked: true });
  });

  it('a key rotated on one node: its new secret works on the other at once, the old one stops there too', async () => {
    const created = await admin(a, '/admin/keys', 'POST', { name: 'rotated-on-b', rpm: 100 });
    const { secret: first } = created.json as { secret: string };
    expect((await chat(a, first)).status).toBe(200);

    // With a grace period both secrets work on both nodes until it ends.
    const graced = await admin(b, '/admin/keys/rotated-on-b/rotate', 'POST', { grace_period: '3s' });
    expect(graced.status).toBe(200);
    const { secret: second } = graced.json as { secret: string };
    for (const node of [a, b]) {
      expect((await chat(node, second)).status).toBe(200);
      expect((await chat(node, first)).status).toBe(200);
    }
    await eventually(async () => {
      for (const node of [a, b]) expect((await chat(node, first)).status).toBe(401);
    }, 6_000);

    // Without one, the replaced secret stops on the other node within about a second.
    const rotated = await admin(b, '/admin/keys/rotated-on-b/rotate', 'POST');
    const { secret: third } = rotated.json as { secret: string };
    expect((await chat(b, second)).status).toBe(401);
    expect((await chat(a, third)).status).toBe(200);
    await eventually(async () => expect((await chat(a, second)).status).toBe(401));
    expect((await admin(a, '/admin/keys/rotated-on-b')).json).toMatchObject({ rpm: 100, revoked: false });
  });

  it('a key revoked on one node and restored on the other works again on both', async () => {
    const created = await admin(a, '/admin/keys', 'POST', { name: 'restored-on-b' });
    const { secret } = created.json as { secret: string };
    await admin(a, '/admin/keys/restored-on-b', 'DELETE');
    await eventually(async () => expect((await chat(b, secret)).status).toBe(401));
    expect((await admin(b, '/admin/keys/restored-on-b/restore', 'POST')).status).toBe(200);
    expect((await chat(b, secret)).status).toBe(200);
    await eventually(async () => expect((await chat(a, secret)).status).toBe(200));
  });

  it('a policy set on one node applies on the other within about a second', async () => {
    await admin(a, '/admin/policy/system-prompt', 'PUT', { system_prompt: 'Set on node A' });
    await eventually(async () =>
      expect((await admin(b, '/admin/policy/system-prompt')).json).toEqual({
        system_prompt: 'Set on node A',
        source: 'admin',
      }),
    );
    await admin(a, '/admin/policy/system-prompt', 'DELETE');
  });

  it('shares the response cache: a miss on one node is a hit on the other', async () => {
    const content = `cache me ${randomUUID()}`;
    const body = { messages: [{ role: 'user', content }] };
    expect((await chat(a, KEYS.free, body)).headers.get('x-junction-cache')).toBe('miss');
    await eventually(async () =>
      expect((await chat(b, KEYS.free, body)).headers.get('x-junction-cache')).toBe('hit'),
    );
    const entries = (await admin(b, '/admin/cache')).json as { entries: unknown[] };
    expect(entries.entries.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!available)('Redis outages', () => {
  let proxy: TcpProxy;
  let closed: GatewayProcess;
  let open: GatewayProcess;
  const prefix = `${PREFIX}outage:`;

  beforeAll(async () => {
    proxy = await startProxy(new URL(TEST_REDIS_URL));
    const via = (policy: string, url: string) =>
      sharedConfig(`on_redis_failure = "${policy}"`)
        .replace(`url = "${TEST_REDIS_URL}"`, `url = "${url}"`)
        .replace(`key_prefix = "${PREFIX}"`, `key_prefix = "${prefix}"`)
        .replace('backend = "redis"\n\n[[keys]]', 'backend = "memory"\n\n[[keys]]');
    [closed, open] = await Promise.all([
      startGateway({ config: via('fail_closed', `redis://127.0.0.1:${proxy.port}`) }),
      // Nothing listens on port 1: this node never reaches Redis.
      startGateway({ config: via('fail_open', 'redis://127.0.0.1:1') }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([closed?.stop(), open?.stop()]);
    await proxy?.close();
    await deleteKeys(prefix);
  });

  const chat = (gateway: GatewayProcess) =>
    rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'echo', messages: [{ role: 'user', content: 'hi' }] },
      headers: { authorization: `Bearer ${KEYS.rpm}` },
    });

  it('fail_open keeps serving without Redis and says so in /admin/health', async () => {
    const response = await chat(open);
    expect(response.status).toBe(200);
    const health = await rawRequest(`${open.baseURL}/admin/health`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(health.json).toMatchObject({ governance: { limits: { backend: 'redis', state: 'degraded' } } });
    await open.waitForLog((line) => line.msg === 'counter store unavailable; applying failure policy');
  });

  it('fail_closed refuses with 503 while Redis is down, logs it, and recovers by itself', async () => {
    expect((await chat(closed)).status).toBe(200);
    await proxy.cut();
    const refused = await chat(closed);
    expect(refused.status).toBe(503);
    expect(errorEnvelope(refused).code).toBe('limits_unavailable');
    await closed.waitForLog((line) => line.msg === 'counter store unavailable; applying failure policy');
    await proxy.restore();
    await eventually(async () => expect((await chat(closed)).status).toBe(200), 10_000);
    await closed.waitForLog((line) => line.msg === 'counter store recovered');
  }, 20_000);
});

async function eventually(check: () => Promise<void>, timeoutMs = 4_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}
