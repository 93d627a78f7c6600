import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson, responseText } from '../../../test/support/fixtures.js';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import { replyJson, replySse, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createMistralAdapter } from './mistral-adapter.js';

const CASSETTE = loadCassette('mistral/pydantic-ai-mistral_model_thinking_part_iter.yaml')[0]!;

const upstream = useLocalUpstream();

const replayedSse = (text: string) =>
  replySse(text, { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, pieces: 113 });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({
    name: 'mistral',
    type: 'mistral',
    baseUrl: `${upstream.origin}/v1`,
    apiKeys: ['mistral-key-1'],
    ...overrides,
  });

const context = (): CallContext => callContext();

const REQUEST: ProviderRequest = {
  model: 'mistral/magistral-medium-latest',
  upstreamModel: 'magistral-medium-latest',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] }],
  stream: true,
};

describe('createMistralAdapter', () => {
  it('posts the recorded request to {base}/chat/completions with bearer auth and decodes the recorded stream', async () => {
    upstream.reply = replayedSse(responseText(CASSETTE));
    const response = await collectResponse(createMistralAdapter(config()).stream(REQUEST, context()));

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/v1/chat/completions');
    expect(sent!.headers.authorization).toBe('Bearer mistral-key-1');
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent!.body)).toEqual(requestJson(CASSETTE));

    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    expect(response.content[0]).toMatchObject({
      text: expect.stringMatching(/^Okay, the user is asking how to cross/),
    });
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 232 });
    expect(response.finishReason).toBe('stop');
  });

  it('a 422 validation body becomes invalid_request naming the field', async () => {
    upstream.reply = replyJson(422, {
      detail: [
        {
          type: 'extra_forbidden',
          loc: ['body', 'store'],
          msg: 'Extra inputs are not permitted',
          input: false,
        },
      ],
    });
    const error = await failure(collectResponse(createMistralAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('invalid_request');
    expect(error.status).toBe(422);
    expect(error.upstreamStatus).toBe(422);
    expect(error.message).toBe('mistral: body.store: Extra inputs are not permitted');
  });

  it('a 401 is an auth failure reported as 502, without the key', async () => {
    upstream.reply = replyJson(401, { message: 'Unauthorized', request_id: 'r1' });
    const error = await failure(collectResponse(createMistralAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('mistral-key-1');
  });

  it('declares what it supports', () => {
    expect(createMistralAdapter(config()).capabilities).toEqual({
      stream: true,
      tools: true,
      vision: true,
      documents: true,
      reasoning: true,
      jsonSchema: true,
      assistantPrefill: true,
    });
  });
});
