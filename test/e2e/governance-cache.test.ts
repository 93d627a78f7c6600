/**
 * The response cache on a real gateway process in front of a recording upstream: a miss calls the
 * upstream and stores the answer, a hit does not call it (streamed hits are proper SSE streams, in
 * either dialect), Cache-Control no-cache skips the lookup and no-store the write, the key is not part
 * of the cache key unless per_key, and the admin API lists and clears entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { serverWithAdmin } from '../support/e2e-gateway.js';
import type { FaultUpstream } from '../support/fault-upstream.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';

const ADMIN = 'governance-cache-admin';
const KEY_A = 'sk-gov-cache-a';
const KEY_B = 'sk-gov-cache-b';

let upstream: FaultUpstream;
let shared: GatewayProcess;
let perKey: GatewayProcess;

const config = (perKeyCache: boolean) => `${serverWithAdmin(ADMIN)}
[[keys]]
name = "a"
key = "${KEY_A}"

[[keys]]
name = "b"
key = "${KEY_B}"

[cache]
enabled = true
ttl = "10m"
per_key = ${perKeyCache}

[providers.oa]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-upstream"

[[models]]
alias = "gpt"
targets = ["oa/gpt-4o-mini"]
`;

beforeAll(async () => {
  upstream = await startFaultUpstream();
  upstream.setScript(() => ({ pieces: ['The answer ', 'is 42.'] }));
  [shared, perKey] = await Promise.all([
    startGateway({ config: config(false) }),
    startGateway({ config: config(true) }),
  ]);
});

afterAll(async () => {
  await Promise.all([shared?.stop(), perKey?.stop()]);
  await upstream?.close();
});

let question = 0;
/** A question no earlier test asked, so each test starts from a cold cache entry. */
function fresh(): string {
  question += 1;
  return `Question number ${question}: what is the answer?`;
}

function chat(
  gateway: GatewayProcess,
  content: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  key = KEY_A,
) {
  return rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
    body: { model: 'gpt', messages: [{ role: 'user', content }], temperature: 0, ...extra },
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
}

function contentOf(response: { json: unknown }): string | undefined {
  return (response.json as { choices?: Array<{ message: { content: string } }> }).choices?.[0]?.message
    .content;
}

function streamedText(sse: string): string {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map(
      (line) =>
        (JSON.parse(line.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta
          ?.content ?? '',
    )
    .join('');
}

/** The text of an Anthropic Messages stream (its text_delta events, joined). */
function anthropicText(sse: string): string {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: { type: string; text?: string } })
    .filter((event) => event.type === 'content_block_delta' && event.delta?.type === 'text_delta')
    .map((event) => event.delta?.text ?? '')
    .join('');
}

describe('response cache', () => {
  it('non-stream: miss calls the upstream, the identical request is a hit that does not', async () => {
    const q = fresh();
    const before = upstream.requests.length;
    const miss = await chat(shared, q);
    expect(miss.headers.get('x-junction-cache')).toBe('miss');
    expect(contentOf(miss)).toBe('The answer is 42.');
    const hit = await chat(shared, q);
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-junction-cache')).toBe('hit');
    expect(contentOf(hit)).toBe('The answer is 42.');
    expect(hit.headers.get('x-junction-cost-usd')).toBe('0');
    expect(upstream.requests.length - before).toBe(1);
  });

  it('a streamed request is served from the cache as a proper stream, in either dialect', async () => {
    const q = fresh();
    const before = upstream.requests.length;
    const miss = await chat(shared, q, { stream: true });
    expect(miss.headers.get('x-junction-cache')).toBe('miss');
    expect(streamedText(miss.text)).toBe('The answer is 42.');

    const hit = await chat(shared, q, { stream: true });
    expect(hit.headers.get('x-junction-cache')).toBe('hit');
    expect(hit.headers.get('content-type')).toContain('text/event-stream');
    expect(streamedText(hit.text)).toBe('The answer is 42.');
    expect(hit.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(hit.text).toContain('"finish_reason":"stop"');

    // The same request in the Anthropic dialect normalizes to the same entry.
    const anthropic = await rawRequest(`${shared.baseURL}/v1/messages`, {
      body: {
        model: 'gpt',
        max_tokens: 64,
        temperature: 0,
        stream: true,
        messages: [{ role: 'user', content: q }],
      },
      headers: { 'x-api-key': KEY_A, 'anthropic-version': '2023-06-01' },
    });
    expect(anthropic.status).toBe(200);
    // max_tokens is part of the key, so this one is a miss of its own; asked again it is a hit.
    const again = await rawRequest(`${shared.baseURL}/v1/messages`, {
      body: {
        model: 'gpt',
        max_tokens: 64,
        temperature: 0,
        stream: true,
        messages: [{ role: 'user', content: q }],
      },
      headers: { 'x-api-key': KEY_A, 'anthropic-version': '2023-06-01' },
    });
    expect(again.headers.get('x-junction-cache')).toBe('hit');
    expect(again.text).toContain('event: message_start');
    expect(anthropicText(again.text)).toBe('The answer is 42.');
    expect(again.text).toContain('event: message_stop');
    expect(upstream.requests.length - before).toBe(2);
  });

  it('Cache-Control: no-cache skips the lookup (bypass) but stores the fresh answer', async () => {
    const q = fresh();
    await chat(shared, q);
    const before = upstream.requests.length;
    const bypass = await chat(shared, q, {}, { 'cache-control': 'no-cache' });
    expect(bypass.headers.get('x-junction-cache')).toBe('bypass');
    expect(upstream.requests.length - before).toBe(1);
    expect((await chat(shared, q)).headers.get('x-junction-cache')).toBe('hit');
  });

  it('Cache-Control: no-store looks up but never writes', async () => {
    const q = fresh();
    const first = await chat(shared, q, {}, { 'cache-control': 'no-store' });
    expect(first.headers.get('x-junction-cache')).toBe('miss');
    expect((await chat(shared, q, {}, { 'cache-control': 'no-store' })).headers.get('x-junction-cache')).toBe(
      'miss',
    );
    expect((await chat(shared, q)).headers.get('x-junction-cache')).toBe('miss');
    expect((await chat(shared, q, {}, { 'cache-control': 'no-store' })).headers.get('x-junction-cache')).toBe(
      'hit',
    );
  });

  it('is shared between keys by default, and per key with per_key = true', async () => {
    const q = fresh();
    await chat(shared, q, {}, {}, KEY_A);
    expect((await chat(shared, q, {}, {}, KEY_B)).headers.get('x-junction-cache')).toBe('hit');

    await chat(perKey, q, {}, {}, KEY_A);
    expect((await chat(perKey, q, {}, {}, KEY_A)).headers.get('x-junction-cache')).toBe('hit');
    expect((await chat(perKey, q, {}, {}, KEY_B)).headers.get('x-junction-cache')).toBe('miss');
  });

  it('a different parameter is a different entry', async () => {
    const q = fresh();
    await chat(shared, q);
    expect((await chat(shared, q, { temperature: 0.7 })).headers.get('x-junction-cache')).toBe('miss');
  });

  it('the admin API lists entries and clears them', async () => {
    const q = fresh();
    await chat(shared, q);
    const auth = { authorization: `Bearer ${ADMIN}` };
    const list = await rawRequest(`${shared.baseURL}/admin/cache`, { headers: auth });
    const entries = (list.json as { entries: Array<{ model: string; bytes: number; expires_at: string }> })
      .entries;
    expect(entries.length).toBeGreaterThan(3);
    expect(entries[0]).toMatchObject({ model: 'gpt' });
    expect(entries[0]!.bytes).toBeGreaterThan(0);
    expect(Date.parse(entries[0]!.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);

    const cleared = await rawRequest(`${shared.baseURL}/admin/cache`, { method: 'DELETE', headers: auth });
    expect((cleared.json as { cleared: number }).cleared).toBe(entries.length);
    expect((await chat(shared, q)).headers.get('x-junction-cache')).toBe('miss');
  });
});
