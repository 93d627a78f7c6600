import { describe, expect, it } from 'vitest';
import { loadCassette, responseText } from '../../../test/support/fixtures.js';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import { replyJson, replySse, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createAnthropicAdapter, mergeBetaFlags } from './anthropic-adapter.js';

const THINKING_SSE = responseText(
  loadCassette('anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml')[0]!,
);

const upstream = useLocalUpstream();

/** Sends the SSE text in a few uneven writes, as a real upstream would. */
const replaySse = (text: string) =>
  replySse(text, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8' },
    pieces: [5, 120, 33, 1000],
  });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({
    name: 'anthropic',
    type: 'anthropic',
    baseUrl: `${upstream.origin}/`,
    apiKeys: ['sk-ant-first-key', 'sk-ant-second-key'],
    headers: { 'Anthropic-Beta': 'operator-beta', 'x-extra': 'yes' },
    ...overrides,
  });

const context = (clientHeaders: Record<string, string | undefined> = {}): CallContext =>
  callContext({ clientHeaders });

const REQUEST: ProviderRequest = {
  model: 'anthropic/claude-sonnet-4-0',
  upstreamModel: 'claude-sonnet-4-0',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] }],
  maxOutputTokens: 4096,
  reasoning: { mode: 'enabled' as const, budgetTokens: 1024 },
  stream: false,
};

describe('createAnthropicAdapter', () => {
  it('posts the converted body to /v1/messages with Anthropic headers and decodes the replayed stream', async () => {
    upstream.reply = replaySse(THINKING_SSE);
    const adapter = createAnthropicAdapter(config());
    const response = await collectResponse(
      adapter.stream(REQUEST, context({ 'anthropic-beta': 'client-beta, operator-beta' })),
    );

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/v1/messages');
    expect(sent!.headers['x-api-key']).toBe('sk-ant-first-key');
    expect(sent!.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent!.headers['anthropic-beta']).toBe('operator-beta,client-beta');
    expect(sent!.headers['x-extra']).toBe('yes');
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers.authorization).toBeUndefined();

    // The request the cassette recorded, bar `stream` (the adapter always streams).
    const recorded = loadCassette(
      'anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml',
    )[0]!.request.parsed_body;
    expect(JSON.parse(sent!.body)).toEqual(recorded);

    expect(response.id).toBe('msg_01ALwQ87pTS7hH1PjSdC9wJD');
    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    const reasoning = response.content[0];
    expect(reasoning?.type === 'reasoning' ? reasoning.signature : undefined).toMatch(
      /^EvMCCkYICxgCKkCHP2cS.*==$/,
    );
    expect(response.finishReason).toBe('stop');
    expect(response.usage?.inputTokens).toBe(43);
  });

  it('passes the client anthropic-version through and sends no beta header when nobody asked for one', async () => {
    upstream.reply = replaySse(THINKING_SSE);
    const adapter = createAnthropicAdapter(config({ headers: {} }));
    await collectResponse(adapter.stream(REQUEST, context({ 'anthropic-version': '2024-01-01' })));
    expect(upstream.seen[0]!.headers['anthropic-version']).toBe('2024-01-01');
    expect(upstream.seen[0]!.headers['anthropic-beta']).toBeUndefined();
  });

  it('a 529 overloaded_error body becomes a retryable overloaded GatewayError', async () => {
    upstream.reply = replyJson(529, {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const error = await failure(collectResponse(createAnthropicAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('overloaded');
    expect(error.upstreamStatus).toBe(529);
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe('anthropic');
    expect(error.message).toBe('anthropic: Overloaded');
  });

  it('a 429 with retry-after: 3 becomes rate_limit with retryAfterMs 3000', async () => {
    upstream.reply = replyJson(
      429,
      {
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your limit' },
      },
      { 'retry-after': '3' },
    );
    const error = await failure(collectResponse(createAnthropicAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('rate_limit');
    expect(error.upstreamStatus).toBe(429);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('a 401 never shows the key and is reported to the client as a gateway-side failure', async () => {
    upstream.reply = replyJson(401, {
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
    });
    const error = await failure(collectResponse(createAnthropicAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('sk-ant-first-key');
  });

  it('a connection cut mid-stream ends the iteration with a classified GatewayError', async () => {
    upstream.reply = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(THINKING_SSE.slice(0, THINKING_SSE.indexOf('event: content_block_stop')));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const error = await failure(collectResponse(createAnthropicAdapter(config()).stream(REQUEST, context())));
    expect(['network', 'transient']).toContain(error.failureClass);
    expect(error.retryable).toBe(true);
  });

  it('declares every capability', () => {
    const adapter = createAnthropicAdapter(config());
    expect(adapter.name).toBe('anthropic');
    expect(Object.values(adapter.capabilities).every((value) => value === true)).toBe(true);
  });
});

describe('mergeBetaFlags', () => {
  it('joins lists, trims, drops duplicates and blanks', () => {
    expect(mergeBetaFlags('a, b', undefined, 'b,c,,')).toBe('a,b,c');
    expect(mergeBetaFlags(undefined, ' ')).toBeUndefined();
  });
});
