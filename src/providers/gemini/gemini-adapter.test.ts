import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunksToSse, fixturePath, loadChunks } from '../../../test/support/fixtures.js';
import { replySse, replyWith, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { listenOnLoopback } from '../../../test/support/loopback-server.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { ProviderConfig } from '../provider-adapter.js';
import { PARALLEL_TOOL_CALLS_IGNORED } from './convert-to-gemini-request.js';
import { createGeminiAdapter } from './gemini-adapter.js';

const API_KEY = 'AIzaTestKeyNotReal0000000000000000';
const upstream = useLocalUpstream();

function adapter(overrides: Partial<ProviderConfig> = {}) {
  return createGeminiAdapter(
    providerConfig({
      name: 'gemini',
      type: 'gemini',
      baseUrl: `${upstream.origin}/`,
      apiKeys: [API_KEY, 'second-key'],
      headers: { 'x-extra': 'yes' },
      maxConnections: 2,
      ...overrides,
    }),
  );
}

const context = callContext();

const request: ProviderRequest = {
  model: 'gemini/gemini-3-pro-preview',
  upstreamModel: 'gemini-3-pro-preview',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How many r in strawberry?' }] }],
  maxOutputTokens: 100,
  stream: true,
};

describe('createGeminiAdapter', () => {
  it('posts to streamGenerateContent?alt=sse with the key in x-goog-api-key and decodes the stream', async () => {
    upstream.reply = replySse(chunksToSse(loadChunks('gemini/vercel-google-text.chunks.txt')));
    const gemini = adapter();
    expect(gemini.capabilities).toEqual({
      stream: true,
      tools: true,
      vision: true,
      documents: true,
      reasoning: true,
      jsonSchema: true,
      assistantPrefill: true,
    });

    const response = await collectResponse(gemini.stream(request, context));
    expect(response.content[0]).toMatchObject({
      type: 'text',
      text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
    });
    expect(response.usage).toEqual({ inputTokens: 9, outputTokens: 208, reasoningTokens: 185 });

    const [call] = upstream.seen;
    expect(call?.method).toBe('POST');
    const url = new URL(call?.url ?? '', upstream.origin);
    expect(url.pathname).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent');
    expect([...url.searchParams]).toEqual([['alt', 'sse']]);
    expect(call?.url).not.toContain(API_KEY);
    expect(call?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.headers['x-extra']).toBe('yes');
    expect(JSON.parse(call?.body ?? '')).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'How many r in strawberry?' }] }],
      generationConfig: { maxOutputTokens: 100 },
    });
  });

  it('a map argument goes to Gemini as JSON text and comes back to the client as the object', async () => {
    upstream.reply = replySse(
      chunksToSse([
        {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [{ functionCall: { name: 'label', args: { labels: '{"env":"prod","team":"a"}' } } }],
              },
              finishReason: 'STOP',
            },
          ],
        },
      ]),
    );
    const withMap: ProviderRequest = {
      ...request,
      tools: [
        {
          name: 'label',
          parameters: {
            type: 'object',
            properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
            required: ['labels'],
          },
        },
      ],
    };
    const response = await collectResponse(adapter().stream(withMap, context));
    const call = response.content.find((part) => part.type === 'tool-call');
    expect(call?.type === 'tool-call' && JSON.parse(call.arguments)).toEqual({
      labels: { env: 'prod', team: 'a' },
    });
    const sent = JSON.parse(upstream.seen[0]?.body ?? '') as {
      tools: Array<{ functionDeclarations: Array<{ parameters: unknown }> }>;
    };
    expect(sent.tools[0]?.functionDeclarations[0]?.parameters).toEqual({
      type: 'object',
      properties: { labels: { type: 'string', description: 'A JSON object, written as JSON text.' } },
      required: ['labels'],
    });
  });

  it('parallel_tool_calls=false reaches the client as a warning (x-junction-warning), not as a silent drop', async () => {
    upstream.reply = replySse(chunksToSse(loadChunks('gemini/vercel-google-text.chunks.txt')));
    const warnings: string[] = [];
    const withTools: ProviderRequest = {
      ...request,
      tools: [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } }],
      parallelToolCalls: false,
    };
    await collectResponse(adapter().stream(withTools, callContext({ warn: (m) => warnings.push(m) })));
    expect(warnings).toEqual([PARALLEL_TOOL_CALLS_IGNORED]);
  });

  it('a strict tool asks Gemini for VALIDATED function calling instead of being dropped', async () => {
    upstream.reply = replySse(chunksToSse(loadChunks('gemini/vercel-google-text.chunks.txt')));
    const strict: ProviderRequest = {
      ...request,
      tools: [
        { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } }, strict: true },
      ],
    };
    await collectResponse(adapter().stream(strict, context));
    const sent = JSON.parse(upstream.seen[0]?.body ?? '') as Record<string, unknown>;
    expect(sent.toolConfig).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
  });

  it('a 429 with RetryInfo throws rate_limit with retryAfterMs before any event', async () => {
    upstream.reply = replyWith({
      status: 429,
      headers: { 'content-type': 'application/json' },
      body: readFileSync(fixturePath('gemini/vercel-google-429-retry-info.json'), 'utf8'),
    });
    const events: CanonicalEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of adapter({ baseUrl: `${upstream.origin}/v1beta` }).stream(request, context))
        events.push(event);
    } catch (error) {
      caught = error;
    }
    expect(events).toEqual([]);
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({
      failureClass: 'rate_limit',
      status: 429,
      retryAfterMs: 34_400,
      retryable: true,
      provider: 'gemini',
    });
    // A base URL that already names the version is not doubled.
    expect(new URL(upstream.seen[0]?.url ?? '', upstream.origin).pathname).toBe(
      '/v1beta/models/gemini-3-pro-preview:streamGenerateContent',
    );
  });

  it('an unreachable upstream is a network error', async () => {
    const closed = await listenOnLoopback(() => {});
    await closed.close();
    const stream = adapter({ baseUrl: closed.origin }).stream(request, context);
    await expect(collectResponse(stream)).rejects.toMatchObject({ failureClass: 'network' });
  });
});
