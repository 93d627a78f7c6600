/**
 * The OpenAI chat fast path when the upstream misbehaves in ways an HTTP status does not show, through the
 * real gateway process and mock upstreams on loopback:
 *
 * - an upstream that refuses `stream_options` (older Azure API versions, some self-hosted servers): the
 *   usage request the fast path adds is dropped for that provider, by config or after its first 400;
 * - an in-band error event inside a 200 stream (vLLM, OpenRouter, Groq shapes): before any content it
 *   fails over like the HTTP error it stands for; after content it ends the stream and the request is
 *   recorded as failed;
 * - a non-stream answer whose body breaks after its headers: nothing reached the client, so it fails over;
 * - a 200 JSON body that is an error object (proxies, self-hosted servers): it fails over like the HTTP
 *   error it stands for, or is the client's error in the OpenAI envelope with that status.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient, openaiClient, rawRequest, readChatStream } from '../support/chat-client.js';
import { serverWithAdmin, useGateway, useMockUpstreams } from '../support/e2e-gateway.js';
import { loadChunks, loadJson } from '../support/fixtures.js';
import type { MockAnswer, RecordedRequest } from '../support/mock-upstream.js';
import {
  cassetteAnswer,
  cassetteJson,
  cassetteText,
  jsonAnswer,
  jsonFixtureAnswer,
  openaiChunksAnswer,
  openaiChunksSse,
  sseAnswer,
} from '../support/upstream-answers.js';

const ADMIN_TOKEN = 'admin-token-fast-path-failures';
const TEXT_CHUNKS = 'openai-chat/vercel-openai-text.chunks.txt';
const TEXT_JSON = 'openai-chat/vercel-openai-text.json';
const OPENROUTER_STREAM_ERROR = 'openai-chat/pydantic-ai-openrouter_stream_error.yaml';
const GROQ_STREAM_ERROR = 'openai-chat/pydantic-ai-groq-tool_use_failed_error_streaming.yaml';
/** OpenRouter's recorded rate-limit body (`code: 429`, details in `metadata.raw`), sent there with HTTP 429. */
const OPENROUTER_RATE_LIMITED = 'openai-chat/pydantic-ai-openrouter_errors_raised.yaml';

/** The answer text of the recorded OpenAI stream. */
const RECORDED_TEXT = (loadChunks(TEXT_CHUNKS) as Array<{ choices: Array<{ delta?: { content?: string } }> }>)
  .map((chunk) => chunk.choices[0]?.delta?.content ?? '')
  .join('');

/** The answer text of the recorded non-stream completion. */
const RECORDED_JSON_TEXT = (loadJson(TEXT_JSON) as { choices: Array<{ message: { content: string } }> })
  .choices[0]!.message.content;

/** Azure's answer to `stream_options` on API versions before 2024-09-01 (as users pasted it in issues). */
const AZURE_UNRECOGNIZED = {
  error: {
    message:
      'Unrecognized request argument supplied: stream_options. Please contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 for further questions.',
    type: 'invalid_request_error',
    param: '',
    code: null,
  },
};

/** The recorded stream as a server that knows no `stream_options` sends it: no usage-only chunk. */
function streamWithoutUsage(): MockAnswer {
  const sse = openaiChunksSse(TEXT_CHUNKS)
    .split('\n\n')
    .filter((event) => !event.includes('"choices":[],'))
    .join('\n\n');
  return sseAnswer(sse);
}

/** An upstream that refuses any body with `stream_options` (400, Azure's words) and streams otherwise. */
function refusesStreamOptions(request: RecordedRequest): MockAnswer {
  const body = request.body as Record<string, unknown>;
  if ('stream_options' in body) {
    return {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(AZURE_UNRECOGNIZED),
    };
  }
  return body.stream === true ? streamWithoutUsage() : jsonFixtureAnswer(TEXT_JSON);
}

/** The opening (role) chunk of the recorded stream, as one SSE event. */
const ROLE_EVENT = `data: ${JSON.stringify(loadChunks(TEXT_CHUNKS)[0])}\n\n`;

/** vLLM's in-stream error (serving_engine create_streaming_error_response): `code` is the HTTP status. */
function vllmError(code: number, type: string, message: string): string {
  return `data: ${JSON.stringify({ error: { object: 'error', message, type, param: null, code } })}\n\n`;
}

function streamed(...events: string[]): MockAnswer {
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events };
}

const upstreams = useMockUpstreams('primary', 'backup', 'legacy', 'strict');

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

[providers.legacy]
type = "openai"
base_url = "${upstreams.legacy.origin}/v1"

[providers.strict]
type = "openai"
base_url = "${upstreams.strict.origin}/v1"
include_stream_usage = false

[[models]]
alias = "chain"
targets = ["primary/model-a", "backup/model-b"]
`,
}));

let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'unused');
});

const USER = [{ role: 'user' as const, content: 'Invent a new holiday and describe its traditions.' }];

async function streamText(model: string, requestId: string): Promise<{ text: string; headers: Headers }> {
  const { data, response } = await client.chat.completions
    .create({ model, messages: USER, stream: true }, { headers: { 'x-request-id': requestId } })
    .withResponse();
  const read = await readChatStream(data);
  return { text: read.text, headers: response.headers };
}

/** `junction_requests_total` for the OpenAI chat surface, one status and provider. */
async function requestCount(status: number, provider: string): Promise<number> {
  const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const prefix = `junction_requests_total{dialect="openai-chat",status="${status}",provider="${provider}"}`;
  const line = metrics.text.split('\n').find((text) => text.startsWith(prefix));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('an upstream that refuses stream_options', () => {
  it('is asked again without it once, remembered, and its streams are charged an estimate', async () => {
    const { legacy } = upstreams;
    legacy.enqueue(refusesStreamOptions, refusesStreamOptions);
    const firstId = `e2e-${randomUUID()}`;
    const first = await streamText('legacy/gpt-4.1', firstId);
    expect(first.text).toBe(RECORDED_TEXT);
    expect(first.headers.get('x-junction-attempts')).toBe('1');
    expect(legacy.requests.map((request) => 'stream_options' in (request.body as object))).toEqual([
      true,
      false,
    ]);
    const record = await gateway.usageRecord(firstId);
    expect(record).toMatchObject({ status: 200, fastPath: true, provider: 'legacy', usageNotAsked: true });
    expect(record.failureClass).toBeUndefined();
    // No usage came back: the prompt is estimated and the output counted from the relayed events.
    const usage = record.usage as { inputTokens: number; outputTokens: number };
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);

    // Remembered: the next stream does not pay the refused round trip.
    legacy.reset();
    legacy.enqueue(refusesStreamOptions);
    const secondId = `e2e-${randomUUID()}`;
    expect((await streamText('legacy/gpt-4.1', secondId)).text).toBe(RECORDED_TEXT);
    expect(legacy.requests).toHaveLength(1);
    expect(legacy.lastBody()).not.toHaveProperty('stream_options');
    await gateway.usageRecord(secondId);
    const warnings = gateway
      .logs()
      .filter(
        (line) => line.level === 40 && line.provider === 'legacy' && /stream_options/.test(line.msg ?? ''),
      );
    expect(warnings).toHaveLength(1);
  });

  it('a client that sent stream_options itself gets the upstream’s 400; nothing is retried', async () => {
    const { legacy } = upstreams;
    legacy.enqueue(refusesStreamOptions);
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: {
        model: 'legacy/gpt-4.1',
        messages: USER,
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('stream_options');
    expect(legacy.requests).toHaveLength(1);
  });

  it('include_stream_usage = false never sends it, on the fast path or the translated one', async () => {
    const { strict } = upstreams;
    strict.enqueue(refusesStreamOptions);
    const requestId = `e2e-${randomUUID()}`;
    expect((await streamText('strict/gpt-4.1', requestId)).text).toBe(RECORDED_TEXT);
    expect(strict.lastBody()).not.toHaveProperty('stream_options');
    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({ status: 200, fastPath: true, usageNotAsked: true });
    expect((record.usage as { outputTokens: number }).outputTokens).toBeGreaterThan(0);

    // An Anthropic client reaches the same provider through the translated path.
    strict.enqueue(refusesStreamOptions);
    const anthropic = anthropicClient(gateway.baseURL, 'unused');
    const translatedId = `e2e-${randomUUID()}`;
    const stream = anthropic.messages.stream(
      { model: 'strict/gpt-4.1', max_tokens: 500, messages: USER },
      { headers: { 'x-request-id': translatedId } },
    );
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: RECORDED_TEXT });
    expect(strict.lastBody()).not.toHaveProperty('stream_options');
    const translated = await gateway.usageRecord(translatedId);
    expect(translated).toMatchObject({ status: 200, fastPath: false, usageNotAsked: true });
    // The estimate counts the delivered text (about four characters a token), capped at max_tokens.
    expect((translated.usage as { outputTokens: number }).outputTokens).toBe(
      Math.min(500, Math.ceil(RECORDED_TEXT.length / 4)),
    );
    const logged = gateway.logs().filter((line) => line.provider === 'strict' && line.level === 40);
    expect(logged).toEqual([]);
  });
});

describe('an in-band error event in a 200 stream', () => {
  it('before any content (vLLM, after the role chunk): fails over like a 500', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue(streamed(ROLE_EVENT, vllmError(500, 'InternalServerError', 'engine died')));
    backup.enqueue(openaiChunksAnswer(TEXT_CHUNKS));
    const requestId = `e2e-${randomUUID()}`;
    const { text, headers } = await streamText('chain', requestId);
    expect(text).toBe(RECORDED_TEXT);
    expect(headers.get('x-junction-provider')).toBe('backup');
    expect(headers.get('x-junction-attempts')).toBe('2');
    expect(primary.requests).toHaveLength(1);
    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({ status: 200, provider: 'backup', attempts: 2 });
  });

  it('before any content (OpenRouter: the error key after id and provider): fails over like a 502', async () => {
    const { primary, backup } = upstreams;
    // OpenRouter's recorded error chunk, with the status of a provider that went away instead of 400.
    const recorded = cassetteText(OPENROUTER_STREAM_ERROR)
      .split('\n')
      .find((line) => line.includes('"error":{'))!;
    const errorLine = recorded.replace(
      '"error":{"code":400,"message":"Token limit reached"}',
      '"error":{"code":502,"message":"Provider returned error"}',
    );
    expect(errorLine).not.toBe(recorded);
    primary.enqueue(streamed(': OPENROUTER PROCESSING\n\n', `${errorLine}\n\n`, 'data: [DONE]\n\n'));
    backup.enqueue(openaiChunksAnswer(TEXT_CHUNKS));
    const { text, headers } = await streamText('chain', `e2e-${randomUUID()}`);
    expect(text).toBe(RECORDED_TEXT);
    expect(headers.get('x-junction-provider')).toBe('backup');
  });

  it('before any content, classified as a client error (400): the client gets that error, no failover', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue(streamed(ROLE_EVENT, vllmError(400, 'BadRequestError', 'prompt is too long')));
    const requestId = `e2e-${randomUUID()}`;
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'chain', messages: USER, stream: true },
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(400);
    expect((response.json as { error: { message: string } }).error.message).toContain('prompt is too long');
    expect(backup.requests).toHaveLength(0);
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      status: 400,
      failureClass: 'invalid_request',
    });
  });

  it('after content (OpenRouter recording): the stream ends with the error and the request counts as failed', async () => {
    const { primary } = upstreams;
    primary.enqueue(cassetteAnswer(OPENROUTER_STREAM_ERROR));
    const before = await requestCount(400, 'primary');
    const requestId = `e2e-${randomUUID()}`;
    const { data } = await client.chat.completions
      .create(
        { model: 'primary/minimax-m2', messages: USER, stream: true },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    let reasoning = '';
    let caught: unknown;
    try {
      for await (const chunk of data) {
        reasoning += (chunk.choices[0]?.delta as { reasoning?: string } | undefined)?.reasoning ?? '';
      }
    } catch (error) {
      caught = error;
    }
    expect(reasoning).toBe('We need to respond to a greeting. The user');
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as Error).message).toContain('Token limit reached');
    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({ status: 400, failureClass: 'invalid_request', provider: 'primary' });
    // The usage OpenRouter sent with the error is what is charged.
    expect(record.usage).toMatchObject({ inputTokens: 43, outputTokens: 10 });
    expect(await requestCount(400, 'primary')).toBe(before + 1);
  });

  it('after content (Groq recording, `event: error`): the gateway’s error event ends the stream', async () => {
    const { primary } = upstreams;
    primary.enqueue(cassetteAnswer(GROQ_STREAM_ERROR));
    const requestId = `e2e-${randomUUID()}`;
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'primary/gpt-oss-120b', messages: USER, stream: true },
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);
    const events = response.text.trim().split('\n\n');
    // The upstream's own `event: error` line is not passed on; the gateway's error event is the last one.
    expect(response.text).not.toContain('event: error');
    expect(events.at(-1)).toMatch(/^data: \{"error":\{"message":"primary: Tool call validation failed/);
    expect(events.length).toBeGreaterThan(5);
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      status: 400,
      failureClass: 'invalid_request',
    });
  });

  it('a stream that breaks after its opening chunk, before content, fails over too', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue({ ...streamed(ROLE_EVENT), reset: true });
    backup.enqueue(openaiChunksAnswer(TEXT_CHUNKS));
    const { text, headers } = await streamText('chain', `e2e-${randomUUID()}`);
    expect(text).toBe(RECORDED_TEXT);
    expect(headers.get('x-junction-provider')).toBe('backup');
  });
});

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

describe('a 200 non-stream body that is an error object', () => {
  /** OpenAI's own words for a server error, as a proxy or self-hosted server answers them: 200. */
  const SERVER_ERROR = {
    error: {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      param: null,
      code: null,
    },
  };

  it('fails over to the next target like the 500 it stands for', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue(jsonAnswer(SERVER_ERROR));
    backup.enqueue(jsonFixtureAnswer(TEXT_JSON));
    const requestId = `e2e-${randomUUID()}`;
    const { data, response } = await client.chat.completions
      .create({ model: 'chain', messages: USER }, { headers: { 'x-request-id': requestId } })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe(RECORDED_JSON_TEXT);
    expect(response.headers.get('x-junction-provider')).toBe('backup');
    expect(response.headers.get('x-junction-attempts')).toBe('2');
    expect(primary.requests).toHaveLength(1);
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      status: 200,
      provider: 'backup',
      attempts: 2,
    });
  });

  it('asked to stream and answered with a JSON error object: fails over too', async () => {
    const { primary, backup } = upstreams;
    primary.enqueue(jsonAnswer(SERVER_ERROR));
    backup.enqueue(openaiChunksAnswer(TEXT_CHUNKS));
    const { text, headers } = await streamText('chain', `e2e-${randomUUID()}`);
    expect(text).toBe(RECORDED_TEXT);
    expect(headers.get('x-junction-provider')).toBe('backup');
  });

  it('OpenRouter’s recorded rate-limit body with no other target: the client gets a 429 in the OpenAI envelope', async () => {
    const { primary } = upstreams;
    primary.enqueue(jsonAnswer(cassetteJson(OPENROUTER_RATE_LIMITED)));
    const before = await requestCount(429, 'none');
    const requestId = `e2e-${randomUUID()}`;
    const failure = await client.chat.completions
      .create(
        { model: 'primary/gemini-2.0-flash-exp', messages: USER },
        { headers: { 'x-request-id': requestId } },
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect((failure as Error).message).toContain('Provider returned error');
    expect((failure as Error).message).toContain('temporarily rate-limited upstream');
    const record = await gateway.usageRecord(requestId);
    // Every target failed, so no provider served it: counted under `none`, like an HTTP 429 would be.
    expect(record).toMatchObject({ status: 429, failureClass: 'rate_limit', attempts: 1 });
    expect(await requestCount(429, 'none')).toBe(before + 1);
  });

  it('an ordinary answer is relayed byte for byte', async () => {
    const { primary } = upstreams;
    const answer = jsonFixtureAnswer(TEXT_JSON);
    primary.enqueue(answer);
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'primary/gpt-4o', messages: USER },
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe(answer.body);
  });
});
