/**
 * Retries, backoff and failover through the real gateway process, with the official `openai` SDK as
 * client (no SDK retries) and fault-injecting upstreams: the exact number of upstream attempts, the gap
 * between attempts following Retry-After / retry-after-ms, client errors neither retried nor failed
 * over, failover on the configured statuses only, first-byte and whole-request deadlines, and the
 * addressing styles (x-llm-provider with provider_failover, OpenRouter-style `models: [...]`).
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, readChatStream, validMessage } from '../support/chat-client.js';
import { abClaudeGateway, useFaultUpstreams, useGateway } from '../support/e2e-gateway.js';
import type { FaultUpstream } from '../support/fault-upstream.js';

const { a, b, claude } = useFaultUpstreams('a', 'b', 'claude');
const gateway = useGateway(() => ({
  config: `${abClaudeGateway(a, b, claude)}
[routing]
provider_order = ["a", "b"]
provider_failover = true
# This file is about retries, not the breaker: keep every circuit closed whatever fails here.
breaker = { consecutive_failures = 1000, min_requests = 1000 }
backoff = { base = "20ms", max = "80ms", max_retry_after = "3s" }

[[models]]
alias = "retry3"
targets = ["a/model-a", "b/model-b"]
retries = 2

[[models]]
alias = "retry-later"
targets = ["a/model-a", "b/model-b"]
retries = 1

[[models]]
alias = "retry-before-deadline"
targets = ["a/model-a", "b/model-b"]
retries = 1
timeout = "1s"

[[models]]
alias = "chain"
targets = ["a/model-a", "b/model-b"]

[[models]]
alias = "only-429"
targets = ["a/model-a", "b/model-b"]
failover_on = [429]

[[models]]
alias = "ttfb"
targets = ["a/model-a", "b/model-b"]
first_byte_timeout = "300ms"

[[models]]
alias = "ttfb-translated"
targets = ["claude/claude-x", "b/model-b"]
first_byte_timeout = "300ms"

[[models]]
alias = "deadline"
targets = ["a/model-a"]
retries = 3
timeout = "400ms"

[[models]]
alias = "deadline-translated"
targets = ["claude/claude-x"]
timeout = "400ms"
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'any-client-key');
});

const MESSAGES = [{ role: 'user' as const, content: 'Say something.' }];

interface Answer {
  text: string;
  headers: Headers;
  requestId: string;
}

/** One request through the SDK, streamed or not, returning the answer text and the response headers. */
async function ask(
  model: string,
  stream: boolean,
  extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
): Promise<Answer> {
  const requestId = `routing-${randomUUID()}`;
  const options = { headers: { 'x-request-id': requestId, ...extra.headers } };
  if (stream) {
    const { data, response } = await client.chat.completions
      .create({ model, messages: MESSAGES, stream: true, ...extra.body }, options)
      .withResponse();
    const read = await readChatStream(data);
    return { text: read.text, headers: response.headers, requestId };
  }
  const params = { model, messages: MESSAGES, ...extra.body } as ChatCompletionCreateParamsNonStreaming;
  const { data, response } = await client.chat.completions.create(params, options).withResponse();
  return { text: validMessage(data).content ?? '', headers: response.headers, requestId };
}

async function expectApiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

function gaps(upstream: FaultUpstream): number[] {
  return upstream.requests.slice(1).map((request, i) => request.at - upstream.requests[i]!.at);
}

describe.each([false, true])('retries and failover (stream: %s)', (stream) => {
  it('retries = 2 on a 500: exactly 3 attempts on the first target, then the second answers', async () => {
    a.setScript(() => ({ status: 500, errorMessage: 'boom' }));
    b.enqueue({ pieces: ['from ', 'b'] });

    const answer = await ask('retry3', stream);

    expect(answer.text).toBe('from b');
    expect(a.requests).toHaveLength(3);
    expect(b.requests).toHaveLength(1);
    expect(a.requests.every((r) => r.body.model === 'model-a')).toBe(true);
    expect(b.requests[0]!.body.model).toBe('model-b');
    expect(answer.headers.get('x-junction-attempts')).toBe('4');
    expect(answer.headers.get('x-junction-provider')).toBe('b');
    expect(answer.headers.get('x-junction-model')).toBe('model-b');
    // Every failed attempt is logged with its target, status and class; the usage record counts them all.
    const usage = await gateway.usageRecord(answer.requestId);
    expect(usage.attempts).toBe(4);
    const failed = gateway
      .logs()
      .filter((line) => line.msg === 'upstream attempt failed' && line.requestId === answer.requestId)
      .map((line) => line.attempt as { target: string; status: number; failureClass: string });
    expect(failed.map(({ target, status, failureClass }) => ({ target, status, failureClass }))).toEqual([
      { target: 'a/model-a', status: 500, failureClass: 'transient' },
      { target: 'a/model-a', status: 500, failureClass: 'transient' },
      { target: 'a/model-a', status: 500, failureClass: 'transient' },
    ]);
  });

  it('backoff honours retry-after-ms and Retry-After (seconds): the gaps between attempts match', async () => {
    a.enqueue(
      { status: 429, headers: { 'retry-after-ms': '400' } },
      { status: 503, headers: { 'retry-after': '1' } },
      { pieces: ['third ', 'time'] },
    );

    const answer = await ask('retry3', stream);

    expect(answer.text).toBe('third time');
    expect(a.requests).toHaveLength(3);
    expect(b.requests).toHaveLength(0);
    expect(answer.headers.get('x-junction-attempts')).toBe('3');
    expect(answer.headers.get('x-junction-provider')).toBe('a');
    const [first, second] = gaps(a);
    // Without Retry-After the backoff here is at most 80 ms (backoff.max): these gaps are the upstream's.
    expect(first).toBeGreaterThanOrEqual(390);
    expect(first).toBeLessThan(700);
    expect(second).toBeGreaterThanOrEqual(990);
    expect(second).toBeLessThan(1_400);
  });

  it('a Retry-After that would outlast the request timeout is not waited for: straight to the next target', async () => {
    // 2 s is within max_retry_after (3 s), but the alias's whole-request timeout is 1 s: waiting could only
    // end in a 504, while b is ready now.
    a.enqueue({ status: 429, headers: { 'retry-after': '2' } });
    b.enqueue({ pieces: ['from b'] });

    const started = performance.now();
    const answer = await ask('retry-before-deadline', stream);

    expect(answer.text).toBe('from b');
    expect(performance.now() - started).toBeLessThan(900);
    expect(a.requests).toHaveLength(1);
    expect(answer.headers.get('x-junction-attempts')).toBe('2');
    expect(answer.headers.get('x-junction-provider')).toBe('b');
  });

  it('a Retry-After beyond backoff.max_retry_after is not waited for: straight to the next target', async () => {
    a.setScript(() => ({ status: 503, headers: { 'retry-after': '10' } }));
    b.enqueue({ pieces: ['b ', 'instead'] });

    const started = performance.now();
    const answer = await ask('retry3', stream);

    expect(answer.text).toBe('b instead');
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(answer.headers.get('x-junction-attempts')).toBe('2');
  });

  it.each([
    [400, 400, OpenAI.BadRequestError],
    // The upstream refused the gateway's provider key: the client sees a 502, not its own 401.
    [401, 502, OpenAI.InternalServerError],
    [404, 404, OpenAI.NotFoundError],
  ])(
    'upstream %i is neither retried nor failed over (client gets %i)',
    async (upstreamStatus, clientStatus, errorClass) => {
      a.setScript(() => ({ status: upstreamStatus, errorMessage: `refused with ${upstreamStatus}` }));

      const error = await expectApiError(ask('retry3', stream));

      expect(error).toBeInstanceOf(errorClass);
      expect(error.status).toBe(clientStatus);
      expect(a.requests).toHaveLength(1);
      expect(b.requests).toHaveLength(0);
    },
  );

  it.each([429, 503])('failover on %i: the second target answers, headers say so', async (status) => {
    a.enqueue({ status });
    b.enqueue({ pieces: ['second ', 'target'] });

    const answer = await ask('chain', stream);

    expect(answer.text).toBe('second target');
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect(answer.headers.get('x-junction-attempts')).toBe('2');
    expect(answer.headers.get('x-junction-provider')).toBe('b');
    expect(answer.headers.get('x-junction-model')).toBe('model-b');
  });

  it('failover_on = [429]: a 503 is returned to the client, a 429 moves on', async () => {
    a.enqueue({ status: 503, errorMessage: 'overloaded here' });
    const error = await expectApiError(ask('only-429', stream));
    expect(error.status).toBe(503);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);

    a.enqueue({ status: 429 });
    b.enqueue({ pieces: ['moved on'] });
    const answer = await ask('only-429', stream);
    expect(answer.text).toBe('moved on');
    expect(b.requests).toHaveLength(1);
  });

  it('first_byte_timeout: a silent first target is abandoned after the deadline (fast path)', async () => {
    a.enqueue({ headerDelayMs: 5_000 });
    b.enqueue({ pieces: ['prompt'] });

    const started = performance.now();
    const answer = await ask('ttfb', stream);
    const elapsed = performance.now() - started;

    expect(answer.text).toBe('prompt');
    expect(a.requests).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(answer.headers.get('x-junction-attempts')).toBe('2');
    expect(answer.headers.get('x-junction-provider')).toBe('b');
  });

  it('first_byte_timeout on the translated path (Anthropic upstream) fails over the same way', async () => {
    claude.enqueue({ headerDelayMs: 5_000 });
    b.enqueue({ pieces: ['translated ', 'ok'] });

    const started = performance.now();
    const answer = await ask('ttfb-translated', stream);

    expect(answer.text).toBe('translated ok');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(claude.requests).toHaveLength(1);
    expect(claude.requests[0]!.path).toBe('/v1/messages');
    expect(answer.headers.get('x-junction-attempts')).toBe('2');
    expect(answer.headers.get('x-junction-provider')).toBe('b');
  });

  it('the whole-request timeout bounds retries: 504 at the deadline', async () => {
    a.setScript(() => ({ headerDelayMs: 5_000 }));

    const started = performance.now();
    const error = await expectApiError(ask('deadline', stream));
    const elapsed = performance.now() - started;

    expect(error.status).toBe(504);
    expect(error.message).toContain('400 ms');
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(2_000);
    expect(a.requests).toHaveLength(1);
  });
});

describe('a client that goes away while a retry waits', () => {
  it('is recorded as a client abort (499), not an internal error, and nothing more is sent upstream', async () => {
    a.enqueue({ status: 503, headers: { 'retry-after': '2' } });
    const requestId = `routing-${randomUUID()}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await client.chat.completions
      .create(
        { model: 'retry-later', messages: MESSAGES },
        { headers: { 'x-request-id': requestId }, signal: controller.signal },
      )
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);

    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({ status: 499, failureClass: 'timeout', attempts: 1 });
    expect(gateway.logs().some((line) => line.msg === 'internal error')).toBe(false);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
  });
});

describe('the whole-request timeout also bounds the answer itself', () => {
  const SLOW = { pieces: ['1 ', '2 ', '3 ', '4 ', '5 ', '6 ', '7'], pieceDelayMs: 150 };

  it.each([
    ['deadline', () => a],
    ['deadline-translated', () => claude],
  ])(
    '%s, streamed: a slow stream is cut at the deadline with an error event naming it',
    async (model, upstream) => {
      upstream().enqueue(SLOW);
      const started = performance.now();
      const { data } = await client.chat.completions
        .create({ model, messages: MESSAGES, stream: true })
        .withResponse();
      let text = '';
      const error = await (async () => {
        for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      })().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as Error).message).toContain('Request deadline of 400 ms exceeded');
      expect(text.length).toBeGreaterThan(0);
      expect('1 2 3 4 5 6 7'.startsWith(text)).toBe(true);
      expect(text).not.toBe('1 2 3 4 5 6 7');
      expect(performance.now() - started).toBeLessThan(1_500);
    },
  );

  it('translated, not streamed: a 504 naming the deadline, not a network error', async () => {
    claude.enqueue(SLOW);
    const error = await expectApiError(ask('deadline-translated', false));
    expect(error.status).toBe(504);
    expect(error.message).toContain('Request deadline of 400 ms exceeded');
  });
});

describe('addressing: x-llm-provider and models: [...]', () => {
  it('x-llm-provider picks the provider for a bare model id', async () => {
    b.enqueue({ pieces: ['b here'] });
    const answer = await ask('some-bare-model', false, { headers: { 'x-llm-provider': 'b' } });
    expect(answer.text).toBe('b here');
    expect(a.requests).toHaveLength(0);
    expect(b.requests[0]!.body.model).toBe('some-bare-model');
    expect(answer.headers.get('x-junction-provider')).toBe('b');
  });

  it('x-llm-provider with provider_failover: a 503 moves on to the rest of provider_order', async () => {
    b.enqueue({ status: 503 });
    a.enqueue({ pieces: ['a took over'] });
    const answer = await ask('some-bare-model', true, { headers: { 'x-llm-provider': 'b' } });
    expect(answer.text).toBe('a took over');
    expect(b.requests).toHaveLength(1);
    expect(a.requests[0]!.body.model).toBe('some-bare-model');
    expect(answer.headers.get('x-junction-attempts')).toBe('2');
    expect(answer.headers.get('x-junction-provider')).toBe('a');
  });

  it('a bare model without the header follows provider_order', async () => {
    a.enqueue({ status: 500 });
    b.enqueue({ pieces: ['b second'] });
    const answer = await ask('another-bare-model', false);
    expect(answer.text).toBe('b second');
    expect(a.requests).toHaveLength(1);
    expect(answer.headers.get('x-junction-provider')).toBe('b');
  });

  it('x-llm-provider naming an unconfigured provider is a 404, nothing sent upstream', async () => {
    const error = await expectApiError(ask('m', false, { headers: { 'x-llm-provider': 'nope' } }));
    expect(error.status).toBe(404);
    expect(error.message).toContain('nope');
    expect(a.requests.length + b.requests.length).toBe(0);
  });

  it.each([false, true])(
    'models: [...] is a client fallback list (stream: %s); the field is not forwarded',
    async (stream) => {
      a.enqueue({ status: 503 });
      b.enqueue({ pieces: ['fallback ', 'model'] });
      const answer = await ask('a/model-a', stream, { body: { models: ['b/model-b-fallback'] } });
      expect(answer.text).toBe('fallback model');
      expect(a.requests[0]!.body.model).toBe('model-a');
      expect(b.requests[0]!.body.model).toBe('model-b-fallback');
      expect(a.requests[0]!.body).not.toHaveProperty('models');
      expect(b.requests[0]!.body).not.toHaveProperty('models');
      expect(answer.headers.get('x-junction-model')).toBe('model-b-fallback');
      expect(answer.headers.get('x-junction-attempts')).toBe('2');
    },
  );

  it('models: [...] that is not a list of names is a 400 naming the field, nothing sent upstream', async () => {
    const error = await expectApiError(ask('a/model-a', false, { body: { models: ['b/x', 7] } }));
    expect(error.status).toBe(400);
    expect((error.error as { param?: string } | undefined)?.param).toBe('models');
    expect(a.requests.length + b.requests.length).toBe(0);
  });
});
