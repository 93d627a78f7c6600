/**
 * Per-provider limits on the real gateway process: `max_concurrent` with its bounded FIFO queue (waiters
 * are served one at a time; a full queue or a wait past `queue_timeout` is a 503 with Retry-After, which
 * a fallback chain treats as "go elsewhere"), and API key rotation (a key answered 429 or 401 cools down
 * alone while the others keep serving, and a rejected key is retried with the next one). The admin API
 * is on the main listener here and shows queue depth and usable keys.
 */
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, rawRequest } from '../support/chat-client.js';
import { useFaultUpstreams, useGateway } from '../support/e2e-gateway.js';
import type { FaultRequest } from '../support/fault-upstream.js';

const ADMIN_TOKEN = 'limits-admin-token';
const KEY = {
  one: 'sk-rotation-key-one-1111',
  two: 'sk-rotation-key-two-2222',
  three: 'sk-rotation-key-three-3333',
  four: 'sk-rotation-key-four-4444',
  five: 'sk-rotation-key-five-5555',
  six: 'sk-rotation-key-six-6666',
  seven: 'sk-rotation-key-seven-7777',
  eight: 'sk-rotation-key-eight-8888',
};

const { slow, spare, keyed } = useFaultUpstreams('slow', 'spare', 'keyed');
const gateway = useGateway(() => ({
  config: `
[server]
listen = "127.0.0.1:0"

[admin]
token = "${ADMIN_TOKEN}"

# One request at a time, one waiter, who waits at most 250 ms.
[providers.tight]
type = "openai"
base_url = "${slow.origin}/v1"
api_key = "sk-tight-provider-key"
max_concurrent = 1
max_queue = 1
queue_timeout = "250ms"

# One request at a time, a queue deep enough to serialize a burst.
[providers.serial]
type = "openai"
base_url = "${slow.origin}/v1"
api_key = "sk-serial-provider-key"
max_concurrent = 1
max_queue = 5
queue_timeout = "5s"

[providers.spare]
type = "openai"
base_url = "${spare.origin}/v1"
api_key = "sk-spare-provider-key"

[providers.rotated]
type = "openai"
base_url = "${keyed.origin}/v1"
api_keys = ["${KEY.one}", "${KEY.two}"]

[providers.rotated401]
type = "openai"
base_url = "${keyed.origin}/v1"
api_keys = ["${KEY.three}", "${KEY.four}"]

[providers.rotated429]
type = "openai"
base_url = "${keyed.origin}/v1"
api_keys = ["${KEY.five}", "${KEY.six}"]

[providers.rotated429wait]
type = "openai"
base_url = "${keyed.origin}/v1"
api_keys = ["${KEY.seven}", "${KEY.eight}"]

[routing]
breaker = { consecutive_failures = 1000, min_requests = 1000 }
backoff = { base = "20ms", max = "50ms" }

[[models]]
alias = "spill"
targets = ["tight/spill", "spare/spill"]

[[models]]
alias = "retry-key"
targets = ["rotated401/m"]
retries = 1

[[models]]
alias = "retry-429"
targets = ["rotated429/m"]
retries = 1

[[models]]
alias = "retry-429-wait"
targets = ["rotated429wait/m"]
retries = 1
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'any-client-key');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  status: number;
  provider?: string | null;
  attempts?: string | null;
  retryAfter?: string | null;
  message?: string;
  elapsedMs: number;
}

async function call(model: string, stream = false): Promise<Outcome> {
  const started = performance.now();
  try {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }], stream })
      .withResponse();
    if (stream) for await (const _ of data as AsyncIterable<unknown>);
    return {
      status: response.status,
      provider: response.headers.get('x-junction-provider'),
      attempts: response.headers.get('x-junction-attempts'),
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return {
      status: error.status ?? 0,
      retryAfter: error.headers?.get('retry-after') ?? null,
      message: error.message,
      elapsedMs: performance.now() - started,
    };
  }
}

/** Stamps when a call settled, to compare the order in which concurrent calls ended. */
async function finished(outcome: Promise<Outcome>): Promise<Outcome & { doneAt: number }> {
  const result = await outcome;
  return { ...result, doneAt: performance.now() };
}

async function waitFor(condition: () => boolean): Promise<void> {
  const until = performance.now() + 3_000;
  while (!condition()) {
    if (performance.now() > until) throw new Error('condition not met within 3 s');
    await sleep(5);
  }
}

async function health(): Promise<{
  providers: Array<{
    name: string;
    keys: { total: number; available: number };
    concurrency?: { inFlight: number; queued: number };
  }>;
}> {
  const response = await rawRequest(`${gateway.baseURL}/admin/health`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return response.json as Awaited<ReturnType<typeof health>>;
}

describe('concurrency limit and queue', () => {
  it('max_concurrent = 1: a burst of 3 is served one at a time, the queue visible in /admin/health', async () => {
    slow.setScript(() => ({ headerDelayMs: 250 }));

    const burst = Promise.all([1, 2, 3].map(() => call('serial/queued')));
    await waitFor(() => slow.requests.length === 1);
    await sleep(30);
    expect((await health()).providers.find((p) => p.name === 'serial')?.concurrency).toEqual({
      inFlight: 1,
      queued: 2,
    });
    const outcomes = await burst;

    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    expect(slow.requests).toHaveLength(3);
    // Never two at once at the upstream: each request arrived after the previous one had ended.
    for (let i = 1; i < 3; i++)
      expect(slow.requests[i]!.at).toBeGreaterThanOrEqual(slow.requests[i - 1]!.endedAt! - 5);
    expect(Math.max(...outcomes.map((o) => o.elapsedMs))).toBeGreaterThanOrEqual(740);
  });

  it.each([false, true])(
    'beyond the queue: 503 + Retry-After, at once when full, after queue_timeout when waiting (stream: %s)',
    async (stream) => {
      slow.setScript(() => ({ headerDelayMs: 1_000 }));

      const holder = call('tight/held', stream);
      await waitFor(() => slow.requests.length === 1);
      const waiter = finished(call('tight/held', stream));
      await sleep(50);
      const refused = await finished(call('tight/held', stream));
      const waited = await waiter;

      // The queue (1 place) was taken: refused at once, while the waiter was still waiting.
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe('1');
      expect(refused.message).toMatch(/concurrency limit \(1\): queue is full/);
      expect(refused.doneAt).toBeLessThan(waited.doneAt);
      // The waiter gave up after queue_timeout, long before the holder's upstream answered.
      expect(waited.status).toBe(503);
      expect(waited.retryAfter).toBe('1');
      expect(waited.message).toMatch(/no slot within 250 ms/);
      expect(waited.elapsedMs).toBeGreaterThanOrEqual(240);
      expect(waited.elapsedMs).toBeLessThan(2_000);
      // The holder was not disturbed, and nothing beyond it reached the upstream.
      expect((await holder).status).toBe(200);
      expect(slow.requests).toHaveLength(1);
    },
  );

  it('in a fallback chain the concurrency 503 moves on to the next target', async () => {
    slow.setScript(() => ({ headerDelayMs: 800 }));

    const holder = call('spill');
    await waitFor(() => slow.requests.length === 1);
    const waiter = finished(call('spill'));
    await sleep(50);
    const spilled = await finished(call('spill'));
    const waited = await waiter;

    // The full queue sent the third request on at once; the waiter moved on after queue_timeout.
    expect(spilled).toMatchObject({ status: 200, provider: 'spare', attempts: '2' });
    expect(waited).toMatchObject({ status: 200, provider: 'spare', attempts: '2' });
    expect(spilled.doneAt).toBeLessThan(waited.doneAt);
    expect(waited.elapsedMs).toBeGreaterThanOrEqual(240);
    expect(await holder).toMatchObject({ status: 200, provider: 'tight', attempts: '1' });
    expect(slow.requests).toHaveLength(1);
    expect(spare.requests).toHaveLength(2);
  });
});

describe('API key rotation', () => {
  const keysUsed = (requests: FaultRequest[]) => requests.map((request) => request.apiKey);

  it('a key answered 429 cools down alone for its Retry-After; the other key serves meanwhile', async () => {
    keyed.setScript((request) =>
      request.apiKey === KEY.one ? { status: 429, headers: { 'retry-after-ms': '1200' } } : {},
    );

    const first = await call('rotated/m');
    expect(first.status).toBe(429);
    const cooledAt = performance.now();
    expect(keysUsed(keyed.requests)).toEqual([KEY.one]);

    // Round-robin alone would alternate; key one is cooling, so key two takes every request.
    for (let i = 0; i < 4; i++) expect((await call('rotated/m')).status).toBe(200);
    expect(keysUsed(keyed.requests)).toEqual([KEY.one, KEY.two, KEY.two, KEY.two, KEY.two]);
    const provider = (await health()).providers.find((p) => p.name === 'rotated');
    expect(provider?.keys).toEqual({ total: 2, available: 1 });

    // After the cooldown key one is back in the rotation.
    keyed.setScript(() => ({}));
    await sleep(Math.max(0, 1_300 - (performance.now() - cooledAt)));
    expect((await health()).providers.find((p) => p.name === 'rotated')?.keys).toEqual({
      total: 2,
      available: 2,
    });
    keyed.reset();
    for (let i = 0; i < 2; i++) expect((await call('rotated/m')).status).toBe(200);
    expect(new Set(keysUsed(keyed.requests))).toEqual(new Set([KEY.one, KEY.two]));
  });

  it('a key the upstream rejects (401) is retried with the next key in the same request, then left out', async () => {
    keyed.setScript((request) => (request.apiKey === KEY.three ? { status: 401 } : {}));

    const first = await call('retry-key');
    expect(first).toMatchObject({ status: 200, attempts: '2' });
    expect(keysUsed(keyed.requests)).toEqual([KEY.three, KEY.four]);

    for (let i = 0; i < 3; i++) expect((await call('retry-key', true)).status).toBe(200);
    expect(keysUsed(keyed.requests).slice(2)).toEqual([KEY.four, KEY.four, KEY.four]);
  });

  it('a 429 is retried (retries = 1) with the next key, which then keeps serving', async () => {
    keyed.setScript((request) => (request.apiKey === KEY.five ? { status: 429 } : {}));

    expect(await call('retry-429', true)).toMatchObject({ status: 200, attempts: '2' });
    expect(await call('retry-429')).toMatchObject({ status: 200, attempts: '1' });
    expect(keysUsed(keyed.requests)).toEqual([KEY.five, KEY.six, KEY.six]);
  });

  it("a 429's Retry-After is not waited out when another key is ready: that key is tried at once", async () => {
    keyed.setScript((request) =>
      request.apiKey === KEY.seven ? { status: 429, headers: { 'retry-after': '20' } } : {},
    );

    const outcome = await call('retry-429-wait');
    expect(outcome).toMatchObject({ status: 200, attempts: '2' });
    expect(outcome.elapsedMs).toBeLessThan(2_000);
    expect(keysUsed(keyed.requests)).toEqual([KEY.seven, KEY.eight]);
  });
});

describe('admin API on the main listener', () => {
  it('answers with the admin token and 401 without it', async () => {
    expect((await rawRequest(`${gateway.baseURL}/admin/routes`)).status).toBe(401);
    const response = await rawRequest(`${gateway.baseURL}/admin/routes`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const aliases = (response.json as { aliases: Array<{ alias: string; retries: number }> }).aliases;
    expect(aliases.map((alias) => [alias.alias, alias.retries])).toEqual([
      ['spill', 0],
      ['retry-key', 1],
      ['retry-429', 1],
      ['retry-429-wait', 1],
    ]);
  });
});
