/**
 * Graceful shutdown on the real process, as a rolling deploy does it (SIGTERM): streams already running
 * finish, new work is refused, usage is written, and the process exits 0. A stream still running when
 * `[server] shutdown_grace` is over ends with the dialect's error event (never a silent cut), the upstream
 * call is cancelled, and the process exits.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openaiClient } from '../support/chat-client.js';
import { serverWithKeys } from '../support/e2e-gateway.js';
import { gatewayPerTest } from '../support/gateway-per-test.js';
import { anthropicChunksAnswer, openaiChunksAnswer } from '../support/upstream-answers.js';

const KEY = 'jk-shutdown';

const start = gatewayPerTest(
  (upstream, serverLines?: string) => `${serverWithKeys({ shutdown: KEY }, serverLines ?? '')}
[providers.oai]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-upstream"

[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "upstream"

[providers.serial]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-upstream"
max_concurrent = 1
queue_timeout = "30s"
`,
);

const ask = { role: 'user' as const, content: 'Hello' };

describe('SIGTERM', () => {
  it('lets a running stream finish, refuses new requests, writes its usage and exits 0', async () => {
    const { gateway, upstream } = await start();
    // 11 events, 300 ms apart: about 3 s of stream, most of it after the signal.
    upstream.enqueue(
      anthropicChunksAnswer('anthropic-messages/vercel-anthropic-text.chunks.txt', { delayMs: 300 }),
    );
    const client = openaiClient(gateway.baseURL, KEY);
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'claude/claude-sonnet-4-5', messages: [ask], stream: true })
      .withResponse();
    const requestId = response.headers.get('x-request-id')!;
    let text = '';
    let finish: string | null | undefined;
    let signalled = false;
    let refused: unknown;
    let endedAt = 0;
    for await (const chunk of stream) {
      endedAt = performance.now();
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (!signalled) {
        signalled = true;
        gateway.signal('SIGTERM');
        await gateway.waitForLog((line) => line.msg === 'shutting down');
        // A new request while draining: refused (the listener is closed; a kept-alive connection gets 503).
        refused = await fetch(`${gateway.baseURL}/healthz`).then(
          (r) => r.status,
          (error: unknown) => error,
        );
      }
    }
    expect(text.length).toBeGreaterThan(20);
    expect(finish).toBe('stop');
    expect(refused).not.toBe(200);
    expect(await gateway.exited()).toBe(0);
    // The client's keep-alive connection, idle once its stream ended, does not hold the exit open.
    expect(performance.now() - endedAt).toBeLessThan(1_500);
    const usage = gateway
      .logs()
      .find((line) => (line.usage as { requestId?: string } | undefined)?.requestId === requestId);
    expect(usage?.usage).toMatchObject({ status: 200, stream: true });
  });

  it('past shutdown_grace ends a running stream with an error event, cancels the upstream and exits', async () => {
    const { gateway, upstream } = await start('shutdown_grace = "1s"');
    // About 300 events, 30 ms apart: far longer than the grace.
    upstream.enqueue(openaiChunksAnswer('openai-chat/vercel-openai-text.chunks.txt', { delayMs: 30 }));
    const client = openaiClient(gateway.baseURL, KEY);
    const stream = await client.chat.completions.create({
      model: 'oai/gpt-4.1',
      messages: [ask],
      stream: true,
    });
    let signalledAt = 0;
    const failure = await (async () => {
      for await (const _ of stream) {
        if (signalledAt === 0) {
          signalledAt = performance.now();
          gateway.signal('SIGTERM');
        }
      }
    })().catch((error: unknown) => error);
    const endedAfter = performance.now() - signalledAt;
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toMatch(/shutting down/);
    expect(endedAfter).toBeGreaterThan(900);
    expect(endedAfter).toBeLessThan(4_000);
    expect(await gateway.exited()).toBe(0);
    // The upstream saw its client go away and stopped, rather than streaming on to nobody.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.chunkWrittenAt.length).toBeLessThan(150);
  });

  it('past shutdown_grace a request still queued for a concurrency slot gets the retryable 503', async () => {
    const { gateway, upstream } = await start('shutdown_grace = "1s"');
    upstream.enqueue(openaiChunksAnswer('openai-chat/vercel-openai-text.chunks.txt', { delayMs: 30 }));
    const client = openaiClient(gateway.baseURL, KEY);
    // The one slot of `serial` is held by a long stream...
    const stream = await client.chat.completions.create({
      model: 'serial/gpt-4.1',
      messages: [ask],
      stream: true,
    });
    const holding = (async () => {
      for await (const _ of stream) {
      }
    })().catch((error: unknown) => error);
    // ...so this request waits in the queue (up to 30 s) when the gateway is told to stop.
    const queued = fetch(`${gateway.baseURL}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'serial/gpt-4.1', messages: [ask] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    gateway.signal('SIGTERM');

    const refused = await queued;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/shutting down/);
    expect(await holding).toBeInstanceOf(OpenAI.APIError);
    expect(await gateway.exited()).toBe(0);
    expect(upstream.requests).toHaveLength(1);
  });

  it('lets a WebSocket finish its running turn, then closes it with 1001 and exits 0', async () => {
    const { gateway, upstream } = await start();
    upstream.enqueue(
      anthropicChunksAnswer('anthropic-messages/vercel-anthropic-text.chunks.txt', { delayMs: 300 }),
    );
    const socket = new WebSocket(`${gateway.baseURL.replace('http', 'ws')}/v1/responses`, {
      headers: { authorization: `Bearer ${KEY}`, 'x-request-id': 'ws-draining' },
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const types: string[] = [];
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as { type: string };
      if (types.length === 0) {
        gateway.signal('SIGTERM');
        // Sent while draining: refused with an error event, not started.
        setTimeout(
          () => socket.send(JSON.stringify({ type: 'response.create', model: 'claude/x', input: 'more' })),
          50,
        );
      }
      types.push(event.type);
    });
    socket.send(
      JSON.stringify({ type: 'response.create', model: 'claude/claude-sonnet-4-5', input: 'Hello' }),
    );
    expect(await closed).toBe(1001);
    expect(types).toContain('response.completed');
    expect(types.filter((type) => type === 'error')).toHaveLength(1);
    expect(await gateway.exited()).toBe(0);
    expect(upstream.requests).toHaveLength(1);
    // Both messages are requests with their line: the turn that ran, and the one refused while draining.
    const usage = (id: string) =>
      gateway.logs().find((line) => (line.usage as { requestId?: string } | undefined)?.requestId === id)
        ?.usage;
    expect(usage('ws-draining.1')).toMatchObject({ status: 200 });
    expect(usage('ws-draining.2')).toMatchObject({ status: 503, keyName: 'shutdown' });
  });
});
