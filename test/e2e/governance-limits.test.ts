/**
 * Limits on one real gateway process (memory backend): per-key RPM and TPM with their RateLimit-*
 * headers and 429 + Retry-After, max concurrent requests, a USD budget spent to exhaustion, allowed
 * models (fallback lists included), the global policy changed through the admin API without a restart,
 * runtime keys (created, used over HTTP Basic, updated, revoked), and the cost header and trailer.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, rawRequest } from '../support/chat-client.js';
import type { FaultUpstream } from '../support/fault-upstream.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';

const ADMIN = 'governance-limits-admin';
const KEYS = {
  rpm: 'sk-gov-rpm-key',
  tpm: 'sk-gov-tpm-key',
  conc: 'sk-gov-concurrency-key',
  budget: 'sk-gov-budget-key',
  models: 'sk-gov-models-key',
  free: 'sk-gov-free-key',
};
// Eight words: echo answers with the first max_tokens of them, so output tokens are exactly max_tokens.
const EIGHT_WORDS = 'one two three four five six seven eight';

let gateway: GatewayProcess;
let slow: FaultUpstream;
let dataDir: string;

beforeAll(async () => {
  slow = await startFaultUpstream();
  dataDir = mkdtempSync(join(tmpdir(), 'junction-gov-limits-'));
  gateway = await startGateway({
    config: `
[server]
listen = "127.0.0.1:0"
data_dir = "${dataDir}"

[admin]
token = "${ADMIN}"

[[keys]]
name = "rpm"
key = "${KEYS.rpm}"
rpm = 3

[[keys]]
name = "tpm"
key = "${KEYS.tpm}"
tpm = 100

[[keys]]
name = "conc"
key = "${KEYS.conc}"
max_concurrent = 1

[[keys]]
name = "budget"
key = "${KEYS.budget}"
budget = { usd = 0.05, period = "day" }

[[keys]]
name = "models"
key = "${KEYS.models}"
models = ["echo", "cheap-*"]

[[keys]]
name = "free"
key = "${KEYS.free}"

[providers.echo]
type = "echo"

[providers.slow]
type = "openai"
base_url = "${slow.origin}/v1"
api_key = "sk-upstream"

[[models]]
alias = "echo"
targets = ["echo/echo"]

[[models]]
alias = "cheap-echo"
targets = ["echo/cheap"]

[[models]]
alias = "premium"
targets = ["echo/premium"]

[[models]]
alias = "slow"
targets = ["slow/gpt-4o-mini"]

# Every output token costs $0.005 and input is free, so max_tokens = 2 costs exactly $0.01.
[[pricing]]
model = "echo"
input = 0
output = 5000
`,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await slow?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function chat(key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
    body: { model: 'echo', messages: [{ role: 'user', content: EIGHT_WORDS }], ...body },
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
}

function admin(path: string, method = 'GET', body?: unknown) {
  return rawRequest(`${gateway.baseURL}${path}`, {
    method,
    ...(body === undefined ? {} : { body }),
    headers: { authorization: `Bearer ${ADMIN}` },
  });
}

describe('requests per minute', () => {
  it('counts down RateLimit-Remaining on every response, then answers 429 with Retry-After', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await chat(KEYS.rpm);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      remaining.push(response.headers.get('ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await chat(KEYS.rpm);
    expect(refused.status).toBe(429);
    expect(errorEnvelope(refused)).toMatchObject({
      code: 'rate_limit_exceeded',
      message: 'Rate limit exceeded: this key allows 3 requests per 60s',
    });
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // The same key over the Anthropic surface gets the same limit in Anthropic's envelope.
    const anthropic = await rawRequest(`${gateway.baseURL}/v1/messages`, {
      body: { model: 'echo', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
      headers: { 'x-api-key': KEYS.rpm, 'anthropic-version': '2023-06-01' },
    });
    expect(anthropic.status).toBe(429);
    expect(anthropic.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(anthropic.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('tokens per minute', () => {
  it('reserves input + max output up front and settles to the real usage', async () => {
    // Estimate: 10 input tokens (39 characters / 4) + 60 max output = 70 of 100.
    const first = await chat(KEYS.tpm, { max_tokens: 60 });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('100');
    expect(first.headers.get('ratelimit-remaining')).toBe('30');
    // Settled to the real 10 + 8 = 18 tokens, so a second 70-token estimate fits: 100 - 18 - 70 = 12.
    const second = await chat(KEYS.tpm, { max_tokens: 60 });
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-remaining')).toBe('12');
    const third = await chat(KEYS.tpm, { max_tokens: 60 });
    expect(third.status).toBe(429);
    expect(errorEnvelope(third).code).toBe('rate_limit_exceeded');
  });

  it('refuses a request larger than the whole allowance without a retry hint', async () => {
    const response = await chat(KEYS.tpm, { max_tokens: 5000 });
    expect(response.status).toBe(429);
    expect(errorEnvelope(response)).toMatchObject({ code: 'request_too_large' });
    expect(response.headers.get('retry-after')).toBeNull();
  });
});

describe('max concurrent requests', () => {
  it('refuses a second request while the first is in flight, and admits again after it', async () => {
    slow.enqueue({ pieces: ['slow ', 'answer'], pieceDelayMs: 400 });
    const first = chat(KEYS.conc, { model: 'slow', stream: true });
    await waitFor(() => slow.inFlight() === 1);
    const second = await chat(KEYS.conc);
    expect(second.status).toBe(429);
    expect(errorEnvelope(second)).toMatchObject({ code: 'concurrency_limit_exceeded' });
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await first).status).toBe(200);
    expect((await chat(KEYS.conc)).status).toBe(200);
    // Operators alert on refusals: the 429 is counted by its code.
    expect((await admin('/admin/metrics')).text).toContain(
      'junction_limit_refusals_total{code="concurrency_limit_exceeded"} 1',
    );
  });
});

describe('budgets', () => {
  it('spends a USD budget to exactly zero, then refuses until the period ends', async () => {
    const costs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await chat(KEYS.budget, { max_tokens: 2 });
      expect(response.status).toBe(200);
      costs.push(response.headers.get('x-junction-cost-usd') ?? '');
    }
    expect(costs).toEqual(['0.01', '0.01', '0.01', '0.01', '0.01']);
    const refused = await chat(KEYS.budget, { max_tokens: 2 });
    expect(refused.status).toBe(429);
    expect(errorEnvelope(refused)).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    expect((await admin('/admin/metrics')).text).toContain(
      'junction_limit_refusals_total{code="budget_exceeded"} 1',
    );
    const untilMidnight = Math.ceil((Date.UTC(...todayUtc(), 24) - Date.now()) / 1000);
    expect(Math.abs(Number(refused.headers.get('retry-after')) - untilMidnight)).toBeLessThan(5);

    const key = await admin('/admin/keys/budget');
    expect(key.json).toMatchObject({
      budget_status: { period: 'day', limit_usd: 0.05, spent_usd: 0.05, held_usd: 0 },
    });
  });
});

describe('allowed models', () => {
  it('allows matching models and aliases, refuses others with 403, fallback lists included', async () => {
    expect((await chat(KEYS.models)).status).toBe(200);
    expect((await chat(KEYS.models, { model: 'cheap-echo' })).status).toBe(200);
    const refused = await chat(KEYS.models, { model: 'premium' });
    expect(refused.status).toBe(403);
    expect(errorEnvelope(refused)).toMatchObject({
      code: 'model_not_allowed',
      message: 'Key "models" may not use model "premium"',
    });
    const smuggled = await chat(KEYS.models, { models: ['premium'] });
    expect(smuggled.status).toBe(403);
    expect(errorEnvelope(smuggled).message).toBe('Key "models" may not use model "echo/premium"');
    expect((await chat(KEYS.models, { models: ['cheap-echo'] })).status).toBe(200);
  });
});

describe('global policy through the admin API', () => {
  it('takes effect at once without a restart, and reverts to the configured policy', async () => {
    const set = await admin('/admin/policy/rate-limit', 'PUT', { requests_per_window: 2, window: '1m' });
    expect(set.json).toEqual({
      requests_per_window: 2,
      window_ms: 60_000,
      algorithm: 'sliding_window',
      source: 'admin',
    });
    expect((await chat(KEYS.free)).status).toBe(200);
    const second = await chat(KEYS.free);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const refused = await chat(KEYS.free);
    expect(refused.status).toBe(429);
    expect(errorEnvelope(refused).message).toBe('Rate limit exceeded: the gateway allows 2 requests per 60s');

    expect((await admin('/admin/policy/rate-limit', 'DELETE')).status).toBe(200);
    expect((await admin('/admin/policy/rate-limit')).json).toMatchObject({
      requests_per_window: null,
      source: 'config',
    });
    const after = await chat(KEYS.free);
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('runtime keys', () => {
  it('creates a key whose secret is shown once, uses it over HTTP Basic, updates and revokes it', async () => {
    const created = await admin('/admin/keys', 'POST', {
      name: 'runtime-1',
      rpm: 1,
      metadata: { team: 'search' },
    });
    expect(created.status).toBe(201);
    const { secret, key } = created.json as { secret: string; key: Record<string, unknown> };
    expect(secret).toMatch(/^jk-/);
    expect(key).toMatchObject({ name: 'runtime-1', source: 'admin', rpm: 1, metadata: { team: 'search' } });
    expect((await admin('/admin/keys/runtime-1')).text).not.toContain(secret);
    expect((await admin('/admin/keys', 'POST', { name: 'runtime-1' })).status).toBe(409);

    const basic = { authorization: `Basic ${Buffer.from(`user:${secret}`).toString('base64')}` };
    const ok = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'echo', messages: [{ role: 'user', content: 'hi' }] },
      headers: basic,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-limit')).toBe('1');
    expect((await chat(secret)).status).toBe(429);

    const updated = await admin('/admin/keys/runtime-1', 'PATCH', { rpm: null, tpm: 100_000 });
    expect(updated.json).toMatchObject({ rpm: null, tpm: 100_000 });
    expect((await chat(secret)).status).toBe(200);

    expect((await admin('/admin/keys/runtime-1', 'DELETE')).json).toMatchObject({ revoked: true });
    const revoked = await chat(secret);
    expect(revoked.status).toBe(401);
    expect(errorEnvelope(revoked).message).toBe('This API key has been revoked');
    const listed = (await admin('/admin/keys')).json as { keys: Array<{ name: string; revoked: boolean }> };
    expect(listed.keys.find((k) => k.name === 'runtime-1')?.revoked).toBe(true);
    expect(listed.keys.map((k) => k.name)).toEqual(
      expect.arrayContaining(['rpm', 'tpm', 'budget', 'runtime-1']),
    );
  });

  it('keeps refusing missing and unknown keys', async () => {
    const missing = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'echo', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(missing.status).toBe(401);
    expect((await chat('sk-not-a-key')).status).toBe(401);
  });
});

describe('cost', () => {
  it('sends x-junction-cost-usd as a header on JSON answers and as an HTTP trailer on streams', async () => {
    const plain = await chat(KEYS.free, { max_tokens: 3 });
    expect(plain.headers.get('x-junction-cost-usd')).toBe('0.015');
    const streamed = await streamWithTrailers(`${gateway.baseURL}/v1/chat/completions`, KEYS.free, {
      model: 'echo',
      stream: true,
      max_tokens: 3,
      messages: [{ role: 'user', content: EIGHT_WORDS }],
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.trailer).toBe('x-junction-cost-usd');
    expect(streamed.body).toContain('data: [DONE]');
    expect(streamed.trailers['x-junction-cost-usd']).toBe('0.015');
    // An unpriced upstream model says so rather than claiming it was free.
    expect((await chat(KEYS.free, { model: 'premium' })).headers.get('x-junction-cost-usd')).toBe('unknown');
  });
});

function todayUtc(): [number, number, number] {
  const now = new Date();
  return [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A POST read with node:http, which exposes HTTP trailers (fetch does not). */
function streamWithTrailers(
  url: string,
  key: string,
  body: unknown,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  trailers: Record<string, string | undefined>;
}> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text,
            trailers: response.trailers,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}
