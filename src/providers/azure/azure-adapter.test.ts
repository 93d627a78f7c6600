import { describe, expect, it } from 'vitest';
import { chunksToSse, loadChunks } from '../../../test/support/fixtures.js';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import { relayedText, replyJson, replySse, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createAzureAdapter } from './azure-adapter.js';

/** Azure's chat stream: a prompt_filter_results chunk with empty id/model, then content_filter_results per chunk. */
const AZURE_SSE = chunksToSse(loadChunks('openai-chat/vercel-azure-model-router.1.chunks.txt'), {
  done: true,
});

const upstream = useLocalUpstream();

const AZURE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'apim-request-id': 'apim-123',
  'x-ms-region': 'Sweden Central',
  'x-internal': 'not relayed',
};

// Uneven writes, so chunks straddle event boundaries.
const replayedSse = (text: string) => replySse(text, { headers: AZURE_HEADERS, pieces: 97 });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({
    name: 'azure',
    type: 'azure',
    baseUrl: `${upstream.origin}/`,
    apiKeys: ['azure-key-one', 'azure-key-two'],
    headers: { 'x-extra': 'yes' },
    maxConnections: 2,
    settings: { apiVersion: '2024-10-21' },
    ...overrides,
  });

const context = (apiKey?: string): CallContext => callContext(apiKey !== undefined ? { apiKey } : {});

const REQUEST: ProviderRequest = {
  model: 'azure/gpt5-nano-prod',
  upstreamModel: 'gpt5-nano-prod',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the capital of Denmark?' }] }],
  stream: true,
};

describe('createAzureAdapter', () => {
  it('dated api-version: posts to the deployment URL with api-key and decodes the Azure stream', async () => {
    upstream.reply = replayedSse(AZURE_SSE);
    const adapter = createAzureAdapter(config());
    expect(adapter.relayDialects).toEqual(['openai-chat']);
    const response = await collectResponse(adapter.stream(REQUEST, context()));

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/openai/deployments/gpt5-nano-prod/chat/completions?api-version=2024-10-21');
    expect(sent!.headers['api-key']).toBe('azure-key-one');
    expect(sent!.headers.authorization).toBeUndefined();
    expect(sent!.headers['x-extra']).toBe('yes');
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent!.body)).toEqual({
      model: 'gpt5-nano-prod',
      messages: [{ role: 'user', content: 'What is the capital of Denmark?' }],
      stream: true,
      stream_options: { include_usage: true },
    });

    expect(response.content).toEqual([{ type: 'text', text: 'Capital of Denmark.' }]);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toMatchObject({ inputTokens: 15, outputTokens: 78, reasoningTokens: 64 });
  });

  it('uses the key the router chose over the first configured key', async () => {
    upstream.reply = replayedSse(AZURE_SSE);
    await collectResponse(createAzureAdapter(config()).stream(REQUEST, context('azure-key-two')));
    expect(upstream.seen[0]!.headers['api-key']).toBe('azure-key-two');
  });

  it('defaults to api-version 2024-10-21 when settings give none', async () => {
    upstream.reply = replayedSse(AZURE_SSE);
    const { settings: _settings, ...rest } = config();
    await collectResponse(createAzureAdapter(rest).stream(REQUEST, context()));
    expect(upstream.seen[0]!.url).toBe(
      '/openai/deployments/gpt5-nano-prod/chat/completions?api-version=2024-10-21',
    );
  });

  it('api-version v1: posts to /openai/v1/chat/completions with a bearer token when no key is configured', async () => {
    upstream.reply = replayedSse(AZURE_SSE);
    const adapter = createAzureAdapter(
      config({ apiKeys: [], settings: { apiVersion: 'v1', bearerToken: 'entra-token-abc' } }),
    );
    const response = await collectResponse(adapter.stream(REQUEST, context()));
    expect(upstream.seen[0]!.url).toBe('/openai/v1/chat/completions');
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer entra-token-abc');
    expect(upstream.seen[0]!.headers['api-key']).toBeUndefined();
    expect((JSON.parse(upstream.seen[0]!.body) as { model: string }).model).toBe('gpt5-nano-prod');
    expect(response.content).toEqual([{ type: 'text', text: 'Capital of Denmark.' }]);
  });

  it('api-version with the Responses API: Responses clients are relayed to /openai/responses, usage tapped', async () => {
    const sse = chunksToSse(loadChunks('openai-responses/vercel-azure-text.1.chunks.txt'), {
      withEventNames: true,
    });
    upstream.reply = replayedSse(sse);
    const adapter = createAzureAdapter(config({ settings: { apiVersion: '2025-04-01-preview' } }));
    expect(adapter.relayDialects).toEqual(['openai-chat', 'openai-responses']);
    const relayed = await adapter.relay(
      'openai-responses',
      { model: 'alias', input: 'hi', stream: true, x_new: true },
      'gpt5-nano-prod',
      context(),
    );
    const text = await relayedText(relayed.body);
    expect(upstream.seen[0]!.url).toBe('/openai/responses?api-version=2025-04-01-preview');
    expect(JSON.parse(upstream.seen[0]!.body)).toEqual({
      model: 'gpt5-nano-prod',
      input: 'hi',
      stream: true,
      x_new: true,
    });
    expect(text).toBe(sse);
    expect(relayed.usage()?.inputTokens).toBeGreaterThan(0);
    expect(createAzureAdapter(config({ settings: { apiVersion: 'v1' } })).relayDialects).toContain(
      'openai-responses',
    );
  });

  it('relay(): forwards the client body with model = deployment, unknown fields intact, bytes verbatim', async () => {
    upstream.reply = replayedSse(AZURE_SSE);
    const adapter = createAzureAdapter(config());
    const clientBody = {
      model: 'my-alias',
      messages: [{ role: 'user', content: 'What is the capital of Denmark?' }],
      stream: true,
      stream_options: { include_usage: true },
      data_sources: [{ type: 'azure_search', parameters: { endpoint: 'https://search.example' } }],
      x_custom: { a: 1 },
    };
    const relayed = await adapter.relay('openai-chat', clientBody, 'gpt5-nano-prod', context());
    expect(upstream.seen[0]!.url).toBe(
      '/openai/deployments/gpt5-nano-prod/chat/completions?api-version=2024-10-21',
    );
    expect(JSON.parse(upstream.seen[0]!.body)).toEqual({ ...clientBody, model: 'gpt5-nano-prod' });
    expect(relayed.status).toBe(200);
    expect(relayed.headers).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'apim-request-id': 'apim-123',
      'x-ms-region': 'Sweden Central',
    });
    const text = await relayedText(relayed.body);
    expect(text).toBe(AZURE_SSE);
    expect(relayed.usage()).toMatchObject({ inputTokens: 15, outputTokens: 78 });
  });

  it("Azure's content filter refusal is a content_filter GatewayError, thrown before any event", async () => {
    upstream.reply = replyJson(400, {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { sexual: { filtered: true, severity: 'medium' } },
        },
      },
    });
    const events: CanonicalEvent[] = [];
    const error = await failure(async () => {
      for await (const event of createAzureAdapter(config()).stream(REQUEST, context())) events.push(event);
    });
    expect(events).toEqual([]);
    expect(error).toMatchObject({
      failureClass: 'content_filter',
      status: 400,
      retryable: false,
      code: 'content_filter',
      provider: 'azure',
      upstreamStatus: 400,
    });
    expect(error.message).toMatch(/^azure: The response was filtered/);
  });

  it('relay(): a missing deployment is not_found', async () => {
    upstream.reply = replyJson(404, {
      error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' },
    });
    const error = await failure(() =>
      createAzureAdapter(config()).relay('openai-chat', { messages: [] }, 'nope', context()),
    );
    expect(error.failureClass).toBe('not_found');
    expect(error.status).toBe(404);
  });

  it('a rejected key is auth, reported as 502, without the key in the message', async () => {
    upstream.reply = replyJson(401, {
      error: {
        code: '401',
        message: 'Access denied due to invalid subscription key or wrong API endpoint.',
      },
    });
    const error = await failure(() =>
      collectResponse(createAzureAdapter(config()).stream(REQUEST, context())),
    );
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('azure-key-one');
  });
});
