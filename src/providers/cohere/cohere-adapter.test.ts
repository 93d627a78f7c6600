import { describe, expect, it } from 'vitest';
import { chunksToSse, loadCassette, loadChunks, requestJson } from '../../../test/support/fixtures.js';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import { replyJson, replySse, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createCohereAdapter } from './cohere-adapter.js';

const upstream = useLocalUpstream();

const replayedSse = (text: string) => replySse(text, { pieces: 97 });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({
    name: 'cohere',
    type: 'cohere',
    baseUrl: `${upstream.origin}/`,
    apiKeys: ['co-first-key', 'co-second-key'],
    headers: { 'x-client-name': 'junction' },
    ...overrides,
  });

const context = (apiKey?: string): CallContext => callContext(apiKey ? { apiKey } : {});

const REQUEST: ProviderRequest = {
  model: 'cohere/command-r7b-12-2024',
  upstreamModel: 'command-r7b-12-2024',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
  stream: false,
};

describe('createCohereAdapter', () => {
  it('posts the converted body to /v2/chat with bearer auth and decodes the replayed stream', async () => {
    upstream.reply = replayedSse(
      chunksToSse(loadChunks('cohere/vercel-cohere-text.chunks.txt'), { withEventNames: true }),
    );
    const response = await collectResponse(createCohereAdapter(config()).stream(REQUEST, context()));

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/v2/chat');
    expect(sent!.headers.authorization).toBe('Bearer co-first-key');
    expect(sent!.headers.accept).toBe('text/event-stream');
    expect(sent!.headers['x-client-name']).toBe('junction');
    const recorded = requestJson(loadCassette('cohere/pydantic-ai-cohere-request_simple_success.yaml')[0]!);
    expect(JSON.parse(sent!.body)).toEqual({ ...recorded, stream: true });

    expect(response.id).toBe('321d178c-2c12-44d3-ae42-2f5510f6b1cc');
    expect(response.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.' }]);
    expect(response.usage).toEqual({ inputTokens: 507, outputTokens: 10, cachedInputTokens: 448 });
  });

  it('uses the key the router chose', async () => {
    upstream.reply = replayedSse(chunksToSse(loadChunks('cohere/vercel-cohere-text.chunks.txt')));
    await collectResponse(createCohereAdapter(config()).stream(REQUEST, context('co-second-key')));
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer co-second-key');
  });

  it('the recorded 404 body becomes a not_found GatewayError with Cohere message', async () => {
    const recorded = loadCassette('cohere/pydantic-ai-TestCohere.test_embed_error.yaml')[0]!.response;
    upstream.reply = replyJson(recorded.status.code, recorded.parsed_body);
    const error = await failure(collectResponse(createCohereAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('not_found');
    expect(error.upstreamStatus).toBe(404);
    expect(error.provider).toBe('cohere');
    expect(error.message).toMatch(/^cohere: model 'nonexistent' not found/);
  });

  it('a 498 invalid token is an auth failure that never shows the key', async () => {
    upstream.reply = replyJson(498, { message: 'invalid api token' });
    const error = await failure(collectResponse(createCohereAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('co-first-key');
  });

  it('a 429 is a retryable rate_limit', async () => {
    upstream.reply = replyJson(429, {
      message: 'You are using a Trial key, which is limited to 10 API calls / minute.',
    });
    const error = await failure(collectResponse(createCohereAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('rate_limit');
    expect(error.retryable).toBe(true);
  });

  it('declares what it supports', () => {
    const adapter = createCohereAdapter(config());
    expect(adapter.name).toBe('cohere');
    expect(adapter.capabilities).toEqual({
      stream: true,
      tools: true,
      vision: true,
      documents: false,
      reasoning: true,
      jsonSchema: true,
    });
  });
});
