/**
 * The OpenAI chat fast path when the upstream misbehaves in ways an HTTP status does not show, through the
 * real gateway process and mock upstreams on loopback:
 *
 * - a non-stream answer whose body breaks after its headers: nothing reached the client, so it fails over.
 */
import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openaiClient } from '../support/chat-client.js';
import { serverWithAdmin, useGateway, useStarted } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { jsonFixtureAnswer } from '../support/upstream-answers.js';

const ADMIN_TOKEN = 'admin-token-fast-path-failures';
const TEXT_JSON = 'openai-chat/vercel-openai-text.json';

const upstreams = useStarted(
  'upstreams',
  async () => {
    const [primary, backup] = await Promise.all([startMockUpstream(), startMockUpstream()]);
    return { primary: primary!, backup: backup! };
  },
  async (all) => {
    await Promise.all(Object.values(all).map((upstream: MockUpstream) => upstream.close()));
  },
);

const gateway = useGateway(() => ({
  config: `${serverWithAdmin(ADMIN_TOKEN)}
[routing]
breaker = { consecutive_failures = 1000, min_requests = 1000 }
idle_timeout = "2s"

[providers.primary]
type = "openai"
base_url = "${upstreams.primary.origin}/v1"

[providers.backup]
type = "openai"
base_url = "${upstreams.backup.origin}/v1"

[[models]]
alias = "chain"
targets = ["primary/model-a", "backup/model-b"]
`,
}));

let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'unused');
});

beforeEach(() => {
  for (const upstream of [upstreams.primary, upstreams.backup]) upstream.reset();
});

const USER = [{ role: 'user' as const, content: 'Invent a new holiday and describe its traditions.' }];

describe('a non-stream answer whose body breaks after the headers', () => {
  it('fails over to the next target: nothing had reached the client', async () => {
    const { primary, backup } = upstreams;
    const whole = JSON.stringify(loadJson(TEXT_JSON));
    primary.enqueue({
      status: 200,
      headers: { 'content-type': 'application/json' },
      chunks: [whole.slice(0, 200)],
      reset: true,
    });
    backup.enqueue(jsonFixtureAnswer(TEXT_JSON));
    const requestId = `e2e-${randomUUID()}`;
    const { data, response } = await client.chat.completions
      .create({ model: 'chain', messages: USER }, { headers: { 'x-request-id': requestId } })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe(
      (loadJson(TEXT_JSON) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message
        .content,
    );
    expect(response.headers.get('x-junction-provider')).toBe('backup');
    expect(response.headers.get('x-junction-attempts')).toBe('2');
    expect(await gateway.usageRecord(requestId)).toMatchObject({ status: 200, attempts: 2 });
  });
});
