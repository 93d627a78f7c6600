/**
 * The circuit breaker and the admin API, on the real gateway process: a target opens after consecutive
 * failures (or a failure rate over the window), is skipped while open (its upstream stops receiving
 * requests), lets exactly one probe through after the cooldown, re-opens when the probe fails and closes
 * when it succeeds. `GET /admin/health` and `/admin/routes` report state and error rates behind the admin
 * token, here on the separate `[admin] listen` port (the main port does not serve them).
 */

import type OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../support/caught.js';
import { openaiClient, rawRequest } from '../support/chat-client.js';
import { useFaultUpstreams, useGateway } from '../support/e2e-gateway.js';

const ADMIN_TOKEN = 'admin-token-for-routing-tests';
const COOLDOWN_MS = 1_000;

const { bad, good } = useFaultUpstreams('bad', 'good');
const gateway = useGateway(() => ({
  config: `
[server]
listen = "127.0.0.1:0"

[admin]
listen = "127.0.0.1:0"
token = "env:ADMIN_TOKEN"

[providers.bad]
type = "openai"
base_url = "${bad.origin}/v1"
api_key = "sk-bad-provider-0001"

[providers.good]
type = "openai"
base_url = "${good.origin}/v1"
api_key = "sk-good-provider-0002"

[routing]
breaker = { consecutive_failures = 3, failure_rate = 0.5, min_requests = 4, window = "30s", cooldown = "${COOLDOWN_MS}ms" }

[[models]]
alias = "guarded"
targets = ["bad/model-1", "good/model-2"]

[[models]]
alias = "rated"
targets = ["bad/model-rate", "good/model-2"]

[[models]]
alias = "probed"
targets = ["bad/model-probe", "good/model-2"]

[[models]]
alias = "abandoned"
targets = ["bad/model-abandon", "good/model-2"]
`,
  env: { ADMIN_TOKEN },
}));
let client: OpenAI;
let adminURL: string;

beforeAll(async () => {
  client = openaiClient(gateway.baseURL, 'any-client-key');
  const listening = await gateway.waitForLog((line) => line.msg === 'Junction admin API listening');
  const { port } = listening.admin as { port: number };
  adminURL = `http://127.0.0.1:${port}`;
});

interface RouteTarget {
  target: string;
  state: string;
  errorRate: number;
  requests: number;
}

/** An admin GET; `token: null` sends no authorization header. */
async function admin(path: string, token: string | null = ADMIN_TOKEN) {
  return rawRequest(`${adminURL}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

async function routeTargets(alias: string): Promise<Map<string, RouteTarget>> {
  const response = await admin('/admin/routes');
  expect(response.status).toBe(200);
  const aliases = (response.json as { aliases: Array<{ alias: string; targets: RouteTarget[] }> }).aliases;
  const route = aliases.find((entry) => entry.alias === alias);
  if (!route) throw new Error(`alias ${alias} missing from /admin/routes: ${response.text}`);
  return new Map(route.targets.map((target) => [target.target, target]));
}

async function healthOf(label: string) {
  const response = await admin('/admin/health');
  expect(response.status).toBe(200);
  const targets = (
    response.json as {
      targets: Array<{
        target: string;
        breaker: { state: string; consecutiveFailures: number; errorRate: number; windowRequests: number };
        lastError?: { status: number; failureClass: string };
      }>;
    }
  ).targets;
  return targets.find((target) => target.target === label);
}

/** One non-stream request; returns the serving provider and the attempt count. */
async function ask(model: string): Promise<{ provider: string | null; attempts: string | null }> {
  const { response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hello' }] })
    .withResponse();
  return {
    provider: response.headers.get('x-junction-provider'),
    attempts: response.headers.get('x-junction-attempts'),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('circuit breaker: consecutive failures', () => {
  it('opens after 3 failures, skips the target, half-opens with exactly one probe, then closes', async () => {
    bad.setScript(() => ({ status: 500, errorMessage: 'bad is down' }));

    // 1. Three requests: each tries bad (500) and fails over to good.
    for (let i = 0; i < 3; i++) expect(await ask('guarded')).toEqual({ provider: 'good', attempts: '2' });
    expect(bad.requests).toHaveLength(3);
    const opened = performance.now();

    // 2. The admin API reports the open circuit and its error rate.
    const health = await healthOf('bad/model-1');
    expect(health?.breaker).toMatchObject({
      state: 'open',
      consecutiveFailures: 3,
      windowRequests: 3,
      errorRate: 1,
    });
    expect(health?.lastError).toMatchObject({ status: 500, failureClass: 'transient' });
    const routes = await routeTargets('guarded');
    expect(routes.get('bad/model-1')).toMatchObject({ state: 'open', errorRate: 1, requests: 3 });
    expect(routes.get('good/model-2')).toMatchObject({ state: 'closed', errorRate: 0, requests: 3 });

    // 3. While open, bad is skipped: its upstream receives nothing and the answers take one attempt.
    for (let i = 0; i < 5; i++) expect(await ask('guarded')).toEqual({ provider: 'good', attempts: '1' });
    expect(performance.now() - opened).toBeLessThan(COOLDOWN_MS);
    expect(bad.requests).toHaveLength(3);

    // 4. After the cooldown: half-open. Of 4 concurrent requests exactly one probes bad (slow, fails).
    await sleep(COOLDOWN_MS + 100);
    expect((await routeTargets('guarded')).get('bad/model-1')?.state).toBe('half-open');
    bad.reset();
    bad.setScript(() => ({ status: 500, headerDelayMs: 300 }));
    const probing = await Promise.all([1, 2, 3, 4].map(() => ask('guarded')));
    expect(bad.requests).toHaveLength(1);
    expect(probing.every((answer) => answer.provider === 'good')).toBe(true);
    expect(probing.map((answer) => answer.attempts).sort()).toEqual(['1', '1', '1', '2']);

    // 5. The failed probe re-opened the circuit: skipped again.
    expect((await healthOf('bad/model-1'))?.breaker.state).toBe('open');
    expect(await ask('guarded')).toEqual({ provider: 'good', attempts: '1' });
    expect(bad.requests).toHaveLength(1);

    // 6. Next cooldown, bad has recovered: one probe (slow, succeeds) while the others use good...
    await sleep(COOLDOWN_MS + 100);
    bad.reset();
    bad.setScript(() => ({ headerDelayMs: 300 }));
    const recovering = await Promise.all([1, 2, 3, 4].map(() => ask('guarded')));
    expect(bad.requests).toHaveLength(1);
    expect(recovering.filter((answer) => answer.provider === 'bad')).toHaveLength(1);

    // 7. ...and the circuit is closed: bad, first in the list, serves again.
    expect((await healthOf('bad/model-1'))?.breaker.state).toBe('closed');
    bad.setScript(() => ({}));
    for (let i = 0; i < 3; i++) expect(await ask('guarded')).toEqual({ provider: 'bad', attempts: '1' });
  });
});

describe('circuit breaker: failure rate over the window', () => {
  it('opens when more than half of at least 4 requests failed, without 3 in a row', async () => {
    bad.enqueue({ status: 503 }, {}, { status: 502 }, { status: 500 });

    const served = [];
    for (let i = 0; i < 4; i++) served.push((await ask('rated')).provider);
    expect(served).toEqual(['good', 'bad', 'good', 'good']);

    const health = await healthOf('bad/model-rate');
    expect(health?.breaker).toMatchObject({
      state: 'open',
      consecutiveFailures: 2,
      windowRequests: 4,
      errorRate: 0.75,
    });
    expect((await routeTargets('rated')).get('bad/model-rate')).toMatchObject({
      state: 'open',
      errorRate: 0.75,
    });
    expect(await ask('rated')).toEqual({ provider: 'good', attempts: '1' });
    expect(bad.requests).toHaveLength(4);
  });
});

describe('circuit breaker: outcomes that say nothing about the target', () => {
  it('a half-open probe answered with a client error (400) lets the next request probe again', async () => {
    bad.reset();
    bad.setScript(() => ({ status: 500 }));
    for (let i = 0; i < 3; i++) expect(await ask('probed')).toEqual({ provider: 'good', attempts: '2' });
    expect((await healthOf('bad/model-probe'))?.breaker.state).toBe('open');
    await sleep(COOLDOWN_MS + 100);

    // The probe meets a request the upstream refuses as invalid: the client gets that 400, and the
    // target's health is unknown still, so the circuit stays half-open with no probe claimed.
    bad.setScript(() => ({ status: 400, errorMessage: 'bad request' }));
    const refused = await caught(ask('probed'));
    expect(refused).toMatchObject({ status: 400 });
    expect(bad.requests).toHaveLength(4);

    // bad has recovered: the next request is the probe, which closes the circuit.
    bad.setScript(() => ({}));
    expect(await ask('probed')).toEqual({ provider: 'bad', attempts: '1' });
    expect(bad.requests).toHaveLength(5);
    expect((await healthOf('bad/model-probe'))?.breaker.state).toBe('closed');
  });

  it('clients that go away (before the first byte and mid-stream) do not open the circuit', async () => {
    bad.reset();
    // A healthy but slow target: the first byte takes 2 s, or the answer streams for 2 s.
    bad.setScript(() => ({ headerDelayMs: 2_000 }));
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      await caught(
        client.chat.completions.create(
          { model: 'abandoned', messages: [{ role: 'user', content: 'hello' }], stream: true },
          { signal: controller.signal },
        ),
      );
    }
    bad.setScript(() => ({ pieces: Array.from({ length: 20 }, (_, i) => `piece ${i} `), pieceDelayMs: 100 }));
    for (let i = 0; i < 3; i++) {
      const stream = await client.chat.completions.create({
        model: 'abandoned',
        messages: [{ role: 'user', content: 'hello' }],
        stream: true,
      });
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) break; // the SDK hangs up
    }
    await sleep(300);
    expect(bad.requests).toHaveLength(6);
    expect(bad.inFlight()).toBe(0);
    const health = await healthOf('bad/model-abandon');
    expect(health?.breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    bad.setScript(() => ({}));
    expect(await ask('abandoned')).toEqual({ provider: 'bad', attempts: '1' });
  });
});

describe('admin API on its own listener', () => {
  it('needs the admin token: 401 without it or with a wrong one', async () => {
    for (const token of [null, 'wrong-token']) {
      for (const path of ['/admin/health', '/admin/routes', '/admin/metrics']) {
        const response = await admin(path, token);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    // A client key is not an admin token either.
    expect((await admin('/admin/health', 'any-client-key')).status).toBe(401);
  });

  it('is not served on the main listener when [admin] listen is set', async () => {
    const response = await rawRequest(`${gateway.baseURL}/admin/health`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(404);
  });

  it('/admin/routes lists every alias with its policy and targets', async () => {
    const response = await admin('/admin/routes');
    const guarded = (response.json as { aliases: Array<Record<string, unknown>> }).aliases.find(
      (entry) => entry.alias === 'guarded',
    );
    expect(guarded).toMatchObject({ strategy: 'fallback', retries: 0, resumeStreams: false });
    expect(((guarded?.targets ?? []) as RouteTarget[]).map((target) => target.target)).toEqual([
      'bad/model-1',
      'good/model-2',
    ]);
  });

  it('/admin/metrics counts every upstream attempt by target, status and class', async () => {
    const response = await admin('/admin/metrics');
    expect(response.status).toBe(200);
    const line = response.text
      .split('\n')
      .find(
        (text) =>
          text.startsWith('junction_upstream_attempts_total{') &&
          text.includes('target="bad/model-1"') &&
          text.includes('status="500"'),
      );
    expect(line).toContain('class="transient"');
    // 3 failures that opened the circuit + the failed probe.
    expect(Number(line?.split(' ').at(-1))).toBe(4);
  });
});
