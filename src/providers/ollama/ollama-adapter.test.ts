// The upstream replays Ollama's documented /api/chat stream (ollama/ollama docs/api.md, "Chat request
// (Streaming with tools)"); no recording of the native API exists.
import { describe, expect, it } from 'vitest';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import { replyJson, replyWith, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createOllamaAdapter } from './ollama-adapter.js';
import { HISTORY_WITH_TOOLS_REQUEST, STREAMING_TOOLS, toNdjson } from './ollama-documented-examples.js';

const upstream = useLocalUpstream();

/** Writes the NDJSON in pieces that cut lines in the middle, as a socket may. */
const replyNdjson = (text: string) =>
  replyWith({ headers: { 'content-type': 'application/x-ndjson' }, body: text, pieces: 50 });

const replyError = (status: number, body: unknown) =>
  replyJson(status, body, { 'content-type': 'application/json; charset=utf-8' });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({ name: 'ollama', type: 'ollama', baseUrl: upstream.origin, ...overrides });

const context = (): CallContext => callContext();

const REQUEST: ProviderRequest = {
  model: 'ollama/llama3.2',
  upstreamModel: 'llama3.2',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'what is the weather in tokyo?' }] }],
  tools: [
    {
      name: 'get_weather',
      description: 'Get the weather in a given city',
      parameters: HISTORY_WITH_TOOLS_REQUEST.tools[0]!.function.parameters,
    },
  ],
  stream: true,
};

describe('createOllamaAdapter', () => {
  it('posts to /api/chat without auth by default and decodes the NDJSON stream', async () => {
    upstream.reply = replyNdjson(toNdjson(STREAMING_TOOLS));
    const response = await collectResponse(createOllamaAdapter(config()).stream(REQUEST, context()));

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe('/api/chat');
    expect(sent!.headers.authorization).toBeUndefined();
    // The documented "Chat request (Streaming with tools)" body.
    expect(JSON.parse(sent!.body)).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'what is the weather in tokyo?' }],
      stream: true,
      tools: HISTORY_WITH_TOOLS_REQUEST.tools,
    });

    expect(response.content).toEqual([
      { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toEqual({ inputTokens: 169, outputTokens: 15 });
  });

  it('sends a configured key as a bearer token (ollama.com, or a proxy in front)', async () => {
    upstream.reply = replyNdjson(toNdjson(STREAMING_TOOLS));
    await collectResponse(
      createOllamaAdapter(config({ baseUrl: `${upstream.origin}/`, apiKeys: ['oll-key'] })).stream(
        REQUEST,
        context(),
      ),
    );
    expect(upstream.seen[0]!.url).toBe('/api/chat');
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer oll-key');
  });

  it('a 404 for a model that is not pulled is not_found', async () => {
    upstream.reply = replyError(404, { error: 'model "llama3.2" not found, try pulling it first' });
    const error = await failure(collectResponse(createOllamaAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('not_found');
    expect(error.status).toBe(404);
    expect(error.upstreamStatus).toBe(404);
    expect(error.message).toBe('ollama: model "llama3.2" not found, try pulling it first');
  });

  it('an image URL is refused before anything is sent', async () => {
    const error = await failure(
      collectResponse(
        createOllamaAdapter(config()).stream(
          {
            ...REQUEST,
            messages: [
              {
                role: 'user',
                content: [{ type: 'image', source: { kind: 'url', url: 'https://e.com/a.png' } }],
              },
            ],
          },
          context(),
        ),
      ),
    );
    expect(error.failureClass).toBe('unsupported');
    expect(upstream.seen).toHaveLength(0);
  });

  it('declares what it supports', () => {
    expect(createOllamaAdapter(config()).capabilities).toEqual({
      stream: true,
      tools: true,
      vision: true,
      documents: false,
      reasoning: true,
      jsonSchema: true,
    });
  });
});
