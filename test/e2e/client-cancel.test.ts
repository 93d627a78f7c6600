/**
 * A client that goes away mid-stream cancels the upstream call, on the fast path and the translated path,
 * so nobody pays for tokens no one reads; the attempt's slot is freed and the gateway serves on.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openaiClient } from '../support/chat-client.js';
import { serverWithKeys } from '../support/e2e-gateway.js';
import { gatewayPerTest } from '../support/gateway-per-test.js';
import { anthropicChunksAnswer, jsonFixtureAnswer, openaiChunksAnswer } from '../support/upstream-answers.js';

const KEY = 'jk-cancel';

// One connection and one slot per provider: a slot kept by the abandoned call would leave the next request
// queued until it fails, and a connection kept would hold it until the old answer ended.
const start = gatewayPerTest(
  (upstream) => `${serverWithKeys({ cancel: KEY })}
[providers.oai]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-upstream"
max_connections = 1
max_concurrent = 1

[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "upstream"
max_connections = 1
max_concurrent = 1
`,
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a client that goes away mid-stream', () => {
  const paths = [
    {
      name: 'fast path (OpenAI upstream, relayed bytes)',
      model: 'oai/gpt-4.1',
      // About 300 events, 10 ms apart: about 3 s if nobody stops it.
      answer: () => openaiChunksAnswer('openai-chat/vercel-openai-text.chunks.txt', { delayMs: 10 }),
      fullMs: 3_000,
      next: () => jsonFixtureAnswer('openai-chat/vercel-openai-text.json'),
    },
    {
      name: 'translated path (Anthropic upstream)',
      model: 'claude/claude-sonnet-4-5',
      // 11 events, 200 ms apart: about 2 s if nobody stops it.
      answer: () =>
        anthropicChunksAnswer('anthropic-messages/vercel-anthropic-text.chunks.txt', { delayMs: 200 }),
      fullMs: 2_000,
      next: () => anthropicChunksAnswer('anthropic-messages/vercel-anthropic-text.chunks.txt'),
    },
  ];

  for (const path of paths) {
    it(`cancels the upstream call and serves the next request: ${path.name}`, async () => {
      const { gateway, upstream } = await start();
      const first = path.answer();
      upstream.enqueue(first);
      const client = openaiClient(gateway.baseURL, KEY);
      const stream = await client.chat.completions.create({
        model: path.model,
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (text !== '') break; // the SDK closes the connection
      }
      expect(text).not.toBe('');
      // Long enough for the whole answer to have been written, had the upstream call not been cancelled.
      await sleep(path.fullMs + 500);
      expect(upstream.requests).toHaveLength(1);
      expect(upstream.requests[0]!.chunkWrittenAt.length).toBeLessThan(first.chunks!.length);

      // The connection and slot are free again: the next request is answered in full, at once.
      upstream.enqueue(path.next());
      const asked = performance.now();
      const answer = await client.chat.completions.create({
        model: path.model,
        messages: [{ role: 'user', content: 'Again' }],
      });
      expect(answer.choices[0]?.finish_reason).toBe('stop');
      expect(answer.choices[0]?.message.content).not.toBe('');
      expect(performance.now() - asked).toBeLessThan(1_000);
      expect(gateway.logs().some((line) => line.msg === 'internal error')).toBe(false);
    });
  }
});

describe('a client that stops reading, then goes away', () => {
  it.each([
    ['fast path (OpenAI upstream, relayed bytes)', 'oai/gpt-4.1'],
    ['translated path (Anthropic upstream)', 'claude/claude-sonnet-4-5'],
  ])('%s: the request ends, its usage is recorded and its slot is free', async (_name, model) => {
    const { gateway, upstream } = await start();
    // About 40 MB at once: far more than the loopback socket buffers hold, so the gateway has to wait
    // for the client to read (backpressure) when the client stops reading.
    const piece = 'x'.repeat(256 * 1024);
    const openai = (text: string) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
    const anthropic = (text: string) =>
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`;
    const chunks = model.startsWith('oai/')
      ? Array.from({ length: 160 }, () => openai(piece))
      : [
          `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'm1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } })}\n\n`,
          `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
          ...Array.from({ length: 160 }, () => anthropic(piece)),
        ];
    upstream.enqueue({ headers: { 'content-type': 'text/event-stream' }, chunks });

    const requestId = `slow-reader-${Date.now()}`;
    const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Hello' }] });
    const { port } = new URL(gateway.baseURL);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${KEY}\r\n` +
            `Content-Type: application/json\r\nx-request-id: ${requestId}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
      socket.once('data', () => {
        // The answer has started: stop reading, and hang up a moment later.
        socket.pause();
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1_000);
      });
      socket.once('error', reject);
    });

    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({ status: 499 });
    // The provider's one slot is free: the next request is answered at once instead of queueing.
    upstream.enqueue(
      model.startsWith('oai/')
        ? jsonFixtureAnswer('openai-chat/vercel-openai-text.json')
        : anthropicChunksAnswer('anthropic-messages/vercel-anthropic-text.chunks.txt'),
    );
    const asked = performance.now();
    const answer = await openaiClient(gateway.baseURL, KEY).chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Again' }],
    });
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(performance.now() - asked).toBeLessThan(1_000);
  });
});
