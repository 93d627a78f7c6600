/**
 * The Anthropic Messages fast path when Claude sends an `error` event inside a 200 stream (it does when it
 * is overloaded mid-answer), through the real gateway process, mock upstreams on loopback and the official
 * Anthropic SDK: before any content the request fails over like the 529 the event stands for; after
 * content the client's stream ends with the error and the request is recorded as failed, not as a success.
 * A non-stream 200 body that is an error object (`{"type":"error",...}`) fails over the same way, or is the
 * client's error with the status it stands for.
 */
import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from '../support/chat-client.js';
import { serverWithKeys, useGateway, useMockUpstreams } from '../support/e2e-gateway.js';
import { loadChunks, loadJson } from '../support/fixtures.js';
import type { MockAnswer } from '../support/mock-upstream.js';
import { anthropicChunksAnswer, jsonAnswer, jsonFixtureAnswer } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-fast-path-failures';
const TEXT_CHUNKS = 'anthropic-messages/vercel-anthropic-text.chunks.txt';
const TEXT_JSON = 'anthropic-messages/vercel-anthropic-text.json';
const CHUNKS = loadChunks(TEXT_CHUNKS) as Array<{ type: string; delta?: { text?: string } }>;
const RECORDED_TEXT = CHUNKS.map((chunk) => (chunk.type === 'content_block_delta' ? chunk.delta?.text : ''))
  .filter(Boolean)
  .join('');

function event(chunk: unknown): string {
  const type = (chunk as { type: string }).type;
  return `event: ${type}\ndata: ${JSON.stringify(chunk)}\n\n`;
}

/** Anthropic's mid-stream overload, as its docs show it. */
const OVERLOADED = event({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

function streamed(...events: string[]): MockAnswer {
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events };
}

const upstreams = useMockUpstreams('primary', 'backup');

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[routing]
breaker = { consecutive_failures = 1000, min_requests = 1000 }

[providers.primary]
type = "anthropic"
base_url = "${upstreams.primary.origin}"
api_key = "primary-key"

[providers.backup]
type = "anthropic"
base_url = "${upstreams.backup.origin}"
api_key = "backup-key"

[[models]]
alias = "claude-chain"
targets = ["primary/claude-sonnet-4-5", "backup/claude-sonnet-4-5"]
`,
}));

let client: Anthropic;

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
});

async function streamText(requestId: string): Promise<string> {
  const stream = client.messages.stream(
    { model: 'claude-chain', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] },
    { headers: { 'x-request-id': requestId } },
  );
  let text = '';
  for await (const part of stream) {
    if (part.type === 'content_block_delta' && part.delta.type === 'text_delta') text += part.delta.text;
  }
  return text;
}

it('an overload before any content fails over to the next target; the client sees one clean answer', async () => {
  // message_start, the empty text block's start and a ping: the opening, then the error.
  upstreams.primary.enqueue(streamed(...CHUNKS.slice(0, 3).map(event), OVERLOADED));
  upstreams.backup.enqueue(anthropicChunksAnswer(TEXT_CHUNKS));
  const id = `e2e-${randomUUID()}`;
  expect(await streamText(id)).toBe(RECORDED_TEXT);
  expect(upstreams.primary.requests).toHaveLength(1);
  expect(upstreams.backup.requests).toHaveLength(1);
  const record = await gateway.usageRecord(id);
  expect(record).toMatchObject({ status: 200, provider: 'backup', attempts: 2, fastPath: true });
});

it('an overload after content ends the client stream with the error and records the request as failed', async () => {
  upstreams.primary.enqueue(streamed(...CHUNKS.slice(0, 5).map(event), OVERLOADED));
  const id = `e2e-${randomUUID()}`;
  const failure = await streamText(id).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(Error);
  expect(String((failure as Error).message)).toMatch(/overloaded/i);
  expect(upstreams.backup.requests).toHaveLength(0);
  const record = await gateway.usageRecord(id);
  expect(record).toMatchObject({ status: 529, failureClass: 'overloaded', provider: 'primary' });
});

it('a clean stream is relayed unchanged and counts as a success', async () => {
  upstreams.primary.enqueue(anthropicChunksAnswer(TEXT_CHUNKS));
  const id = `e2e-${randomUUID()}`;
  expect(await streamText(id)).toBe(RECORDED_TEXT);
  expect(await gateway.usageRecord(id)).toMatchObject({ status: 200, provider: 'primary', attempts: 1 });
});

describe('a 200 non-stream body that is an error object', () => {
  const MESSAGE = {
    model: 'claude-chain',
    max_tokens: 256,
    messages: [{ role: 'user' as const, content: 'Hello' }],
  };
  const JSON_TEXT = (loadJson(TEXT_JSON) as { content: Array<{ text?: string }> }).content
    .map((block) => block.text ?? '')
    .join('');

  it('fails over to the next target like the 529 it stands for', async () => {
    upstreams.primary.enqueue(
      jsonAnswer({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    upstreams.backup.enqueue(jsonFixtureAnswer(TEXT_JSON));
    const id = `e2e-${randomUUID()}`;
    const message = await client.messages.create(MESSAGE, { headers: { 'x-request-id': id } });
    expect(message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')).toBe(
      JSON_TEXT,
    );
    expect(upstreams.primary.requests).toHaveLength(1);
    const record = await gateway.usageRecord(id);
    expect(record).toMatchObject({ status: 200, provider: 'backup', attempts: 2, fastPath: true });
  });

  it('with no other target, the client gets the error in the Anthropic envelope with its status', async () => {
    upstreams.primary.enqueue(
      jsonAnswer({
        type: 'error',
        error: {
          type: 'rate_limit_error',
          message: 'Number of request tokens has exceeded your per-minute rate limit',
        },
        request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
      }),
    );
    const id = `e2e-${randomUUID()}`;
    const failure = await client.messages
      .create({ ...MESSAGE, model: 'primary/claude-sonnet-4-5' }, { headers: { 'x-request-id': id } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect((failure as Error).message).toContain('per-minute rate limit');
    expect(await gateway.usageRecord(id)).toMatchObject({ status: 429, failureClass: 'rate_limit' });
  });
});
