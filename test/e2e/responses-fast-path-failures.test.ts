/**
 * The Responses fast path (openai SDK -> POST /v1/responses -> an OpenAI upstream's /responses) when the
 * upstream answers 200 and the failure is in the body, through the real gateway process and mock
 * upstreams on loopback:
 *
 * - an `error` event (nested as OpenAI sends it, or flat as the spec has it) or `response.failed` inside
 *   the stream: before any content it fails over like the HTTP error its code stands for (or, with no
 *   target left, is that error in the OpenAI envelope); after content the client's stream ends with the
 *   gateway's error event and the request is recorded as failed;
 * - a 200 JSON body that is an error object (a proxy's): fails over, or is the client's error;
 * - `response.incomplete` (max tokens) is an answer, not an error.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { serverWithAdmin, useGateway, useMockUpstreams } from '../support/e2e-gateway.js';
import { chunksToSse, loadChunks, loadJson } from '../support/fixtures.js';
import type { MockAnswer } from '../support/mock-upstream.js';
import { jsonAnswer, jsonFixtureAnswer, splitSseEvents, sseAnswer } from '../support/upstream-answers.js';
import { sdk } from './responses-support.js';

const ADMIN_TOKEN = 'admin-token-responses-fast-path-failures';
/** A recorded text answer: created, in_progress, message added, part added, text deltas, ..., completed. */
const TEXT_CHUNKS = 'openai-responses/vercel-open-responses-openai-pdf-input-file.1.chunks.txt';
const TEXT_JSON = 'openai-responses/vercel-open-responses-openai-pdf-input-file.1.json';
/** A recorded failing stream: created, in_progress, `error` (insufficient_quota), response.failed. */
const FAILED_CHUNKS = 'openai-responses/vercel-openai-error.1.chunks.txt';

/** The recording framed as OpenAI sends it (`event:` lines). */
const TEXT_SSE = chunksToSse(loadChunks(TEXT_CHUNKS), { withEventNames: true });
const TEXT_EVENTS = splitSseEvents(TEXT_SSE);
/** created, in_progress, output_item.added (empty message), content_part.added (empty text). */
const OPENING = TEXT_EVENTS.slice(0, 4);
/** The opening and the first two text deltas ("Dummy PDF"). */
const BEFORE_FAILURE = TEXT_EVENTS.slice(0, 6);
const RECORDED_TEXT = 'Dummy PDF file';

const FAILED = loadChunks(FAILED_CHUNKS) as Array<Record<string, unknown>>;
const RECORDED_ERROR = FAILED.find((chunk) => chunk.type === 'error')!;
const RECORDED_FAILED = FAILED.find((chunk) => chunk.type === 'response.failed')!;

function frame(event: Record<string, unknown>): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The recorded `error` event with another code (OpenAI nests the envelope). */
function errorEvent(code: string, message: string): string {
  const error = RECORDED_ERROR.error as Record<string, unknown>;
  return frame({ ...RECORDED_ERROR, error: { ...error, type: code, code, message } });
}

/** The spec's ResponseErrorEvent: code and message at the top level. */
function specErrorEvent(code: string, message: string): string {
  return frame({ type: 'error', code, message, param: null, sequence_number: 4 });
}

/** The recorded response.failed with another error code. */
function failedEvent(code: string, message: string): string {
  const response = RECORDED_FAILED.response as Record<string, unknown>;
  return frame({ ...RECORDED_FAILED, response: { ...response, error: { code, message } } });
}

function streamed(...events: string[]): MockAnswer {
  return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks: events };
}

const upstreams = useMockUpstreams('primary', 'backup');

const gateway = useGateway(() => ({
  config: `${serverWithAdmin(ADMIN_TOKEN)}
[routing]
breaker = { consecutive_failures = 1000, min_requests = 1000 }

[providers.primary]
type = "openai"
base_url = "${upstreams.primary.origin}/v1"

[providers.backup]
type = "openai"
base_url = "${upstreams.backup.origin}/v1"

[[models]]
alias = "chain"
targets = ["primary/gpt-4o", "backup/gpt-4o"]
`,
}));

let client: OpenAI;

beforeAll(() => {
  client = sdk(gateway.baseURL, 'unused');
});

const INPUT = 'What is the capital of France?';

/** Streams a response with the SDK: the text it delivered, every event, and what it threw, if anything. */
async function streamResponse(model: string, requestId: string) {
  const { data, response } = await client.responses
    .create({ model, input: INPUT, stream: true }, { headers: { 'x-request-id': requestId } })
    .withResponse();
  const events: ResponseStreamEvent[] = [];
  let text = '';
  let caught: unknown;
  try {
    for await (const event of data) {
      events.push(event);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
  } catch (error) {
    caught = error;
  }
  return { text, events, caught, headers: response.headers };
}

/** `junction_requests_total` for the Responses surface, one status and provider. */
async function requestCount(status: number, provider: string): Promise<number> {
  const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const prefix = `junction_requests_total{dialect="openai-responses",status="${status}",provider="${provider}"}`;
  const line = metrics.text.split('\n').find((text) => text.startsWith(prefix));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('an in-band failure in a 200 Responses stream, before any content', () => {
  it.each([
    ['an `error` event (server_error, nested as OpenAI sends it)', errorEvent('server_error', 'boom')],
    ['an `error` event (the spec’s flat shape)', specErrorEvent('server_error', 'boom')],
    [
      'response.failed (server_error)',
      failedEvent('server_error', 'The model failed to generate a response.'),
    ],
    ['response.failed (rate_limit_exceeded)', failedEvent('rate_limit_exceeded', 'Rate limit reached')],
  ])('%s fails over: the client sees the second target’s answer only', async (_name, failure) => {
    const { primary, backup } = upstreams;
    primary.enqueue(streamed(...OPENING, failure));
    backup.enqueue(sseAnswer(TEXT_SSE));
    const requestId = `e2e-${randomUUID()}`;
    const { text, events, caught, headers } = await streamResponse('chain', requestId);
    expect(caught).toBeUndefined();
    expect(text).toBe(RECORDED_TEXT);
    expect(events.map((event) => event.type).filter((type) => type === 'response.created')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('response.completed');
    expect(headers.get('x-junction-provider')).toBe('backup');
    expect(headers.get('x-junction-attempts')).toBe('2');
    expect(primary.requests).toHaveLength(1);
    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({ status: 200, provider: 'backup', attempts: 2, fastPath: true });
  });

  it('with no other target, the recorded failure (insufficient_quota) is a 429 in the OpenAI envelope', async () => {
    const { primary } = upstreams;
    primary.enqueue(streamed(...FAILED.map(frame)));
    const requestId = `e2e-${randomUUID()}`;
    const failure = await client.responses
      .create(
        { model: 'primary/gpt-5-nano', input: INPUT, stream: true },
        { headers: { 'x-request-id': requestId } },
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failure).toMatchObject({ status: 429, code: 'insufficient_quota' });
    expect((failure as Error).message).toContain('You exceeded your current quota');
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      status: 429,
      failureClass: 'quota',
      attempts: 1,
    });
  });

  it('with no other target, response.failed (rate_limit_exceeded) is a 429, server_error a 500', async () => {
    const { primary } = upstreams;
    for (const [code, status, failureClass] of [
      ['rate_limit_exceeded', 429, 'rate_limit'],
      ['server_error', 500, 'transient'],
    ] as const) {
      primary.enqueue(streamed(...OPENING, failedEvent(code, `failed: ${code}`)));
      const requestId = `e2e-${randomUUID()}`;
      const response = await rawRequest(`${gateway.baseURL}/v1/responses`, {
        body: { model: 'primary/gpt-4o', input: INPUT, stream: true },
        headers: { 'x-request-id': requestId },
      });
      expect(response.status).toBe(status);
      expect(response.json).toMatchObject({ error: { code, message: `primary: failed: ${code}` } });
      expect(await gateway.usageRecord(requestId)).toMatchObject({ status, failureClass });
    }
  });
});

describe('an in-band failure in a 200 Responses stream, after content', () => {
  it('ends the client’s stream with the gateway’s error event; the request is recorded as failed', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue(
      streamed(...BEFORE_FAILURE, failedEvent('server_error', 'The model failed to generate a response.')),
    );
    const before = await requestCount(500, 'primary');
    const requestId = `e2e-${randomUUID()}`;
    const { text, events, caught } = await streamResponse('chain', requestId);
    expect(text).toBe('Dummy PDF');
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as Error).message).toContain('The model failed to generate a response.');
    // The upstream's response.failed is not passed on: the gateway's error event ends the stream.
    expect(events.map((event) => event.type)).not.toContain('response.failed');
    expect(backup.requests).toHaveLength(0);
    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({
      status: 500,
      failureClass: 'transient',
      provider: 'primary',
      fastPath: true,
    });
    expect(await requestCount(500, 'primary')).toBe(before + 1);
  });

  it('the raw stream ends with one `error` event numbered after the relayed ones', async () => {
    const { primary } = upstreams;
    primary.enqueue(streamed(...BEFORE_FAILURE, errorEvent('rate_limit_exceeded', 'Slow down')));
    const requestId = `e2e-${randomUUID()}`;
    const response = await rawRequest(`${gateway.baseURL}/v1/responses`, {
      body: { model: 'primary/gpt-4o', input: INPUT, stream: true },
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);
    const events = splitSseEvents(response.text);
    expect(events.slice(0, -1)).toEqual(BEFORE_FAILURE);
    const last = events.at(-1)!;
    expect(last.startsWith('event: error\n')).toBe(true);
    const data = JSON.parse(last.slice(last.indexOf('data: ') + 6)) as Record<string, unknown>;
    // The relayed events are numbered 0..5: the gateway's comes next.
    expect(data).toMatchObject({
      type: 'error',
      sequence_number: BEFORE_FAILURE.length,
      code: 'rate_limit_exceeded',
      message: 'primary: Slow down',
    });
    expect(await gateway.usageRecord(requestId)).toMatchObject({ status: 429, failureClass: 'rate_limit' });
    // Stored as failed, as a translated stream's Response would be.
    const id = (loadChunks(TEXT_CHUNKS)[0] as { response: { id: string } }).response.id;
    const stored = await client.responses.retrieve(id);
    expect(stored).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message: 'primary: Slow down' },
    });
  });
});

describe('answers that are not failures', () => {
  it('response.incomplete (max_output_tokens) is relayed as an answer and counts as a success', async () => {
    const { primary } = upstreams;
    const completed = TEXT_EVENTS.at(-1)!;
    expect(completed).toContain('response.completed');
    const incomplete = completed
      .replaceAll('response.completed', 'response.incomplete')
      .replace('"status":"completed"', '"status":"incomplete"')
      .replace('"incomplete_details":null', '"incomplete_details":{"reason":"max_output_tokens"}');
    primary.enqueue(streamed(...TEXT_EVENTS.slice(0, -1), incomplete));
    const requestId = `e2e-${randomUUID()}`;
    const { text, events, caught } = await streamResponse('primary/gpt-4o', requestId);
    expect(caught).toBeUndefined();
    expect(text).toBe(RECORDED_TEXT);
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { incomplete_details: { reason: 'max_output_tokens' } },
    });
    expect(await gateway.usageRecord(requestId)).toMatchObject({ status: 200, provider: 'primary' });
  });
});

describe('a 200 non-stream Responses body that is an error object', () => {
  /** OpenAI's recorded insufficient_quota body, and a server_error one, as a proxy answers them: 200. */
  const QUOTA = loadJson('openai-responses/vercel-openai-error.1.json');
  const SERVER_ERROR = {
    error: { message: 'The server had an error', type: 'server_error', param: null, code: null },
  };

  it('fails over to the next target: the client gets its answer', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue(jsonAnswer(SERVER_ERROR));
    backup.enqueue(jsonFixtureAnswer(TEXT_JSON));
    const requestId = `e2e-${randomUUID()}`;
    const { data, response } = await client.responses
      .create({ model: 'chain', input: INPUT }, { headers: { 'x-request-id': requestId } })
      .withResponse();
    expect(data.output_text).toBe(RECORDED_TEXT);
    expect(response.headers.get('x-junction-provider')).toBe('backup');
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      status: 200,
      provider: 'backup',
      attempts: 2,
    });
  });

  it('with no other target, the client gets the error in the OpenAI envelope with its status', async () => {
    const { primary } = upstreams;
    primary.enqueue(jsonAnswer(QUOTA));
    const requestId = `e2e-${randomUUID()}`;
    const failure = await client.responses
      .create({ model: 'primary/gpt-4o', input: INPUT }, { headers: { 'x-request-id': requestId } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failure).toMatchObject({ status: 429, code: 'insufficient_quota' });
    expect(await gateway.usageRecord(requestId)).toMatchObject({ status: 429, failureClass: 'quota' });
  });
});
