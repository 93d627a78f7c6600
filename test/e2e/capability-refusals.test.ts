/**
 * A request the target provider cannot take (a capability it lacks, or a field only the fast path could
 * carry) is refused with a 400 before anything is sent upstream. On the real process that refusal is a
 * client error like any other 400: its one `request completed` line at info, no "upstream attempt
 * failed" warning, no count in `junction_upstream_attempts_total`, `attempts: 0` in the usage record,
 * and it does not wait for a provider concurrency slot it would never use.
 */
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { useGatewayWithMock } from '../support/e2e-gateway.js';
import type { LogLine } from '../support/gateway-process.js';

const ADMIN = 'capability-refusals-admin';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `
[server]
listen = "127.0.0.1:0"

[usage]
enabled = false

[admin]
token = "${ADMIN}"

# Sonar takes no function tools: the translated path refuses them by capability.
[providers.sonar]
type = "perplexity"
base_url = "${upstream.origin}"
api_key = "pplx-test"
max_concurrent = 1
`,
}));

const WARN = 40;

interface Case {
  name: string;
  body: Record<string, unknown>;
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a capability the provider lacks (tools)',
    body: {
      model: 'sonar/sonar-pro',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ name: 'weather', input_schema: { type: 'object', properties: {} } }],
    },
    message: /^tools: Tool calling is not supported by provider sonar/,
  },
  {
    name: 'a field only the fast path could carry',
    body: {
      model: 'sonar/sonar-pro',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hello' }],
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'tools' }],
    },
    message: /^mcp_servers is not supported by provider sonar/,
  },
];

describe('a request refused by the capability check', () => {
  for (const [i, refusal] of CASES.entries()) {
    it(`${refusal.name}: a client 400, logged and counted as one, with no upstream attempt`, async () => {
      const requestId = `capability-refusal-${i}`;
      const attemptsBefore = await upstreamAttempts();
      const response = await rawRequest(`${gateway.baseURL}/v1/messages`, {
        body: refusal.body,
        headers: { 'anthropic-version': '2023-06-01', 'x-request-id': requestId },
      });
      expect(response.status).toBe(400);
      const error = (response.json as { error: { type: string; message: string } }).error;
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toMatch(refusal.message);
      expect(mock.requests).toHaveLength(0);

      const usage = await gateway.usageRecord(requestId);
      expect(usage).toMatchObject({ status: 400, failureClass: 'unsupported', attempts: 0 });
      const lines = gateway.logs().filter((line) => mentions(line, requestId));
      expect(lines.map((line) => line.msg)).toEqual(['request completed']);
      expect(lines.every((line) => Number(line.level) < WARN)).toBe(true);
      expect(await upstreamAttempts()).toBe(attemptsBefore);
    });
  }

  it('does not wait for a provider concurrency slot it would never use', async () => {
    // The only slot is held by a request whose answer takes a while.
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'x',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'sonar-pro',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    mock.enqueue({
      headers: { 'content-type': 'text/event-stream' },
      chunks: [chunk({ role: 'assistant' }, null), `${chunk({ content: 'hi' }, 'stop')}data: [DONE]\n\n`],
      delayMs: 1_500,
    });
    const holder = rawRequest(`${gateway.baseURL}/v1/messages`, {
      body: { model: 'sonar/sonar-pro', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
      headers: { 'anthropic-version': '2023-06-01' },
    });
    await waitFor(() => mock.requests.length === 1);
    const started = performance.now();
    const refused = await rawRequest(`${gateway.baseURL}/v1/messages`, {
      body: CASES[0]!.body,
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(refused.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(1_000);
    const held = await holder;
    expect(held.status, held.text).toBe(200);
  });
});

function mentions(line: LogLine, requestId: string): boolean {
  const usage = line.usage as { requestId?: unknown } | undefined;
  return line.requestId === requestId || usage?.requestId === requestId;
}

/** Every `junction_upstream_attempts_total` sample for the sonar provider, summed. */
async function upstreamAttempts(): Promise<number> {
  const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  return metrics.text
    .split('\n')
    .filter(
      (text) => text.startsWith('junction_upstream_attempts_total{') && text.includes('provider="sonar"'),
    )
    .reduce((sum, text) => sum + Number(text.split(' ').at(-1)), 0);
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
