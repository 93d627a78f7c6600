import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson, responseText } from '../../../test/support/fixtures.js';
import type { Reply } from '../../../test/support/local-upstream.js';
import { relayedText, replyJson, replyWith, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createOpenAIAdapter } from './openai-adapter.js';

const toolCallSse = responseText(
  loadCassette('openai-chat/pydantic-ai-openai-stream_tool_call_deltas.yaml')[0]!,
);
const reasoningSse = responseText(
  loadCassette('openai-chat/pydantic-ai-openrouter_streaming_reasoning.yaml')[0]!,
);
const quotaError = JSON.stringify(loadJson('openai-responses/vercel-openai-error.1.json'));
const responsesStream = loadCassette(
  'openai-responses/pydantic-ai-openai_responses_streaming_usage.yaml',
)[0]!;
const responsesJson = loadCassette(
  'openai-responses/pydantic-ai-openai_responses_model_simple_response.yaml',
)[0]!;
const inputTokens = loadCassette(
  'openai-responses/pydantic-ai-openai_responses-count_tokens_with_tools.yaml',
)[0]!;

const upstream = useLocalUpstream();
/** The adapter's base URL: the upstream with the version path, as OpenAI's is. */
const baseUrl = (): string => `${upstream.origin}/v1/`;

/** The body in `parts` near-equal writes with pauses between them, so it reaches the client in pieces. */
function inParts(
  body: string,
  parts: number,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Reply {
  return replyWith({ headers, body, pieces: Math.ceil(body.length / parts), pauseMs: 2 });
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_123' };

const sseReply = (text: string): Reply => inParts(text, 5, SSE_HEADERS);

const config = (): ProviderConfig =>
  providerConfig({
    name: 'openai-test',
    type: 'openai',
    baseUrl: baseUrl(),
    apiKeys: ['sk-test-key-1', 'sk-test-key-2'],
    headers: { 'x-static': 'from-config' },
  });

const context = (): CallContext => callContext();

describe('createOpenAIAdapter against a local upstream', () => {
  it('stream(): posts to {baseUrl}/chat/completions with the key and config headers, decodes the answer', async () => {
    upstream.reply = sseReply(toolCallSse);
    const adapter = createOpenAIAdapter(config());
    expect(adapter.relayDialects).toEqual(['openai-chat', 'openai-responses']);
    const response = await collectResponse(
      adapter.stream(
        {
          model: 'gpt',
          upstreamModel: 'gpt-4o-mini',
          messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the capital of the UK?' }] }],
          stream: false,
        },
        context(),
      ),
    );
    expect(upstream.last().method).toBe('POST');
    expect(upstream.last().url).toBe('/v1/chat/completions');
    expect(upstream.last().headers['authorization']).toBe('Bearer sk-test-key-1');
    expect(upstream.last().headers['x-static']).toBe('from-config');
    expect(upstream.last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(upstream.last().body)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is the capital of the UK?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
        name: 'get_capital',
        arguments: '{"country":"UK"}',
      },
    ]);
    expect(response.usage).toMatchObject({ inputTokens: 53, outputTokens: 15 });
  });

  it('relay(): forwards the body verbatim except model, returns the exact upstream bytes and taps usage', async () => {
    upstream.reply = sseReply(reasoningSse);
    const adapter = createOpenAIAdapter({ ...config(), baseUrl: baseUrl().replace(/\/$/, '') });
    const clientBody = {
      model: 'my-alias',
      messages: [{ role: 'user', content: 'What is 2+2?' }],
      stream: true,
      x_custom_field: { a: 1 },
      reasoning: { enabled: true },
    };
    const relayed = await adapter.relay('openai-chat', clientBody, 'anthropic/claude-sonnet-4.5', context());
    expect(upstream.last().url).toBe('/v1/chat/completions');
    const sent = JSON.parse(upstream.last().body) as Record<string, unknown>;
    // Usage is always asked for on a stream: budgets and the usage log need it.
    expect(sent).toEqual({
      ...clientBody,
      model: 'anthropic/claude-sonnet-4.5',
      stream_options: { include_usage: true },
    });
    expect(sent['x_custom_field']).toEqual({ a: 1 });

    expect(relayed.status).toBe(200);
    expect(relayed.headers).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'x-request-id': 'req_123',
    });
    expect(await relayedText(relayed.body)).toBe(reasoningSse);
    expect(relayed.usage()).toEqual({
      inputTokens: 43,
      outputTokens: 36,
      cachedInputTokens: 0,
      reasoningTokens: 13,
    });
  });

  it('relay(): a stream without include_usage still yields usage; the usage-only chunk never reaches the client', async () => {
    expect(toolCallSse).toContain('"choices":[],"usage":{');
    upstream.reply = sseReply(toolCallSse);
    const adapter = createOpenAIAdapter(config());
    const clientBody = { model: 'x', messages: [], stream: true, stream_options: { foo: 1 } };
    const relayed = await adapter.relay('openai-chat', clientBody, 'gpt-4o-mini', context());
    expect(JSON.parse(upstream.last().body)).toMatchObject({
      stream_options: { foo: 1, include_usage: true },
    });
    const text = await relayedText(relayed.body);
    const withoutUsage = toolCallSse
      .split('\n')
      .filter((line) => !line.includes('"choices":[],"usage":{'))
      .join('\n');
    expect(text).toBe(withoutUsage);
    expect(text).toContain('data: [DONE]');
    expect(relayed.usage()).toMatchObject({ inputTokens: 53, outputTokens: 15 });

    // A client that asked for usage gets the upstream's bytes as they are.
    upstream.reply = sseReply(toolCallSse);
    const asked = await adapter.relay(
      'openai-chat',
      { ...clientBody, stream_options: { include_usage: true } },
      'gpt-4o-mini',
      context(),
    );
    expect(await relayedText(asked.body)).toBe(toolCallSse);
  });

  it('relay(): a non-stream JSON answer is relayed and its usage read', async () => {
    const json = JSON.stringify(
      loadCassette('openai-chat/pydantic-ai-openai_chat_prompt_cache_e2e.yaml')[1]!.response.parsed_body,
    );
    upstream.reply = inParts(json, 3);
    const adapter = createOpenAIAdapter(config());
    const relayed = await adapter.relay(
      'openai-chat',
      { model: 'x', messages: [] },
      'gpt-5.6-sol',
      context(),
    );
    const text = await relayedText(relayed.body);
    expect(text).toBe(json);
    expect(relayed.usage()).toMatchObject({ inputTokens: 4020, outputTokens: 4, cachedInputTokens: 4012 });
  });

  it('relay(openai-responses): posts the body (model rewritten, unknown fields intact) to {base}/responses; bytes verbatim; usage from response.completed', async () => {
    const sse = responseText(responsesStream);
    upstream.reply = sseReply(sse);
    const adapter = createOpenAIAdapter(config());
    const clientBody = {
      ...(responsesStream.request.parsed_body as Record<string, unknown>),
      model: 'alias',
      x_future_field: [1, 2],
    };
    const relayed = await adapter.relay('openai-responses', clientBody, 'gpt-5', context());
    expect(upstream.last().url).toBe('/v1/responses');
    expect(JSON.parse(upstream.last().body)).toEqual({ ...clientBody, model: 'gpt-5' });
    const text = await relayedText(relayed.body);
    expect(text).toBe(sse);
    expect(relayed.usage()).toEqual({
      inputTokens: 53,
      outputTokens: 469,
      cachedInputTokens: 0,
      reasoningTokens: 448,
    });
  });

  it('relay(openai-responses): a JSON Response body has its usage read', async () => {
    const json = JSON.stringify(responsesJson.response.parsed_body);
    upstream.reply = inParts(json, 4);
    const adapter = createOpenAIAdapter(config());
    const relayed = await adapter.relay('openai-responses', { model: 'x', input: 'hi' }, 'gpt-4o', context());
    const text = await relayedText(relayed.body);
    expect(text).toBe(json);
    expect(relayed.usage()).toEqual({
      inputTokens: 14,
      outputTokens: 8,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('countTokens(openai-responses): asks {base}/responses/input_tokens and returns its count', async () => {
    upstream.reply = inParts(JSON.stringify(inputTokens.response.parsed_body), 1);
    const adapter = createOpenAIAdapter(config());
    const body = inputTokens.request.parsed_body as Record<string, unknown>;
    const count = await adapter.countTokens(
      'openai-responses',
      { ...body, model: 'alias' },
      'gpt-4.1-mini',
      context(),
    );
    expect(upstream.last().url).toBe('/v1/responses/input_tokens');
    expect(JSON.parse(upstream.last().body)).toEqual({ ...body, model: 'gpt-4.1-mini' });
    expect(count).toBe(51);
  });

  it('a 429 with retry-after-ms is a rate_limit GatewayError carrying the delay', async () => {
    const rateLimited = {
      error: {
        message: 'Rate limit reached for gpt-4o on tokens per min',
        type: 'requests',
        code: 'rate_limit_exceeded',
      },
    };
    upstream.reply = replyWith({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after-ms': '1500' },
      body: JSON.stringify(rateLimited),
      pauseMs: 2,
    });
    const adapter = createOpenAIAdapter(config());
    const error = await adapter
      .relay('openai-chat', { model: 'x', messages: [] }, 'gpt-4o', context())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      failureClass: 'rate_limit',
      retryAfterMs: 1500,
      retryable: true,
      status: 429,
      upstreamStatus: 429,
      provider: 'openai-test',
      code: 'rate_limit_exceeded',
    });
  });

  it('stream(): a refused request is thrown before any event, classified from the body', async () => {
    upstream.reply = replyWith({
      status: 429,
      headers: { 'content-type': 'application/json' },
      body: quotaError,
      pauseMs: 2,
    });
    const adapter = createOpenAIAdapter({ ...config(), apiKeys: [] });
    const events: unknown[] = [];
    const error = await (async () => {
      for await (const event of adapter.stream(
        { model: 'x', upstreamModel: 'gpt-4o', messages: [], stream: true },
        context(),
      )) {
        events.push(event);
      }
    })().catch((e: unknown) => e);
    expect(events).toEqual([]);
    expect(error).toMatchObject({ failureClass: 'quota', retryable: false, code: 'insufficient_quota' });
    expect(upstream.last().headers).not.toHaveProperty('authorization');
  });

  it('stream(): the attempt timeout firing mid-body is a timeout GatewayError', async () => {
    const firstChunk = toolCallSse.slice(0, toolCallSse.indexOf('\n\n') + 2);
    upstream.reply = replyWith({ headers: SSE_HEADERS, body: firstChunk, pauseMs: 2, stallMs: 1000 });
    const adapter = createOpenAIAdapter({ ...config(), timeoutMs: 150 });
    const events: Array<{ type: string }> = [];
    const error = await (async () => {
      for await (const event of adapter.stream(
        { model: 'x', upstreamModel: 'gpt-4o', messages: [], stream: true },
        context(),
      )) {
        events.push(event);
      }
    })().catch((e: unknown) => e);
    expect(events.map((e) => e.type)).toEqual(['response-start', 'tool-call-start']);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ failureClass: 'timeout', provider: 'openai-test' });
  });
});

describe('createOpenAIAdapter with an upstream that refuses stream_options', () => {
  const refusal = {
    error: { message: "Unknown parameter: 'stream_options'.", type: 'invalid_request_error', param: null },
  };
  /** Refuses any body with stream_options (400), streams the recorded tool call otherwise. */
  const refusing: Reply = (res, seen) => {
    const body = JSON.parse(seen.body) as Record<string, unknown>;
    if ('stream_options' in body) return replyJson(400, refusal)(res, seen);
    return sseReply(toolCallSse)(res, seen);
  };
  const request = { model: 'x', upstreamModel: 'gpt-4o', messages: [], stream: true };
  const sentOptions = (): boolean[] =>
    upstream.seen.map((seen) => 'stream_options' in (JSON.parse(seen.body) as object));

  it('stream(): sends the body again without it, says usage was not asked, and remembers, with one warning', async () => {
    upstream.reply = refusing;
    const warnings: Array<Record<string, unknown>> = [];
    const adapter = createOpenAIAdapter(config(), { warn: (fields) => warnings.push(fields) });
    let notAsked = 0;
    const call = callContext({ usageNotAsked: () => notAsked++ });
    const first = await collectResponse(adapter.stream(request, call));
    expect(first.content).toContainEqual(expect.objectContaining({ type: 'tool-call', name: 'get_capital' }));
    expect(sentOptions()).toEqual([true, false]);
    expect(notAsked).toBe(1);
    await collectResponse(adapter.stream(request, call));
    expect(sentOptions()).toEqual([true, false, false]);
    expect(notAsked).toBe(2);
    expect(warnings).toEqual([expect.objectContaining({ provider: 'openai-test', upstreamStatus: 400 })]);
  });

  it('relay(): a stream_options the client sent is its own: the refusal is thrown, nothing is retried', async () => {
    upstream.reply = refusing;
    const adapter = createOpenAIAdapter(config());
    const body = {
      model: 'x',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_obfuscation: false },
    };
    const error = await adapter.relay('openai-chat', body, 'gpt-4o', context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ failureClass: 'invalid_request', upstreamStatus: 400 });
    expect(upstream.seen).toHaveLength(1);
    expect(JSON.parse(upstream.last().body)).toMatchObject({
      stream_options: { include_obfuscation: false, include_usage: true },
    });
  });

  it('includeStreamUsage false: neither path sends it, and both say usage was not asked', async () => {
    upstream.reply = refusing;
    const adapter = createOpenAIAdapter({ ...config(), includeStreamUsage: false });
    let notAsked = 0;
    const call = callContext({ usageNotAsked: () => notAsked++ });
    await collectResponse(adapter.stream(request, call));
    const relayed = await adapter.relay(
      'openai-chat',
      { model: 'x', messages: [{ role: 'user', content: 'hi' }], stream: true },
      'gpt-4o',
      call,
    );
    expect(await relayedText(relayed.body)).toBe(toolCallSse);
    expect(sentOptions()).toEqual([false, false]);
    expect(notAsked).toBe(2);
  });
});
