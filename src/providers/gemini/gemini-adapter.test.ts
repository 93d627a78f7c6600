import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunksToSse, fixturePath, loadChunks } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createGeminiAdapter } from './gemini-adapter.js';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const API_KEY = 'AIzaTestKeyNotReal0000000000000000';
const seen: Seen[] = [];
let respond: (res: ServerResponse) => void = () => {};
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      respond(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function adapter(overrides: Partial<ProviderConfig> = {}) {
  return createGeminiAdapter({
    name: 'gemini',
    type: 'gemini',
    baseUrl,
    apiKeys: [API_KEY, 'second-key'],
    timeoutMs: 5000,
    headers: { 'x-extra': 'yes' },
    maxConnections: 2,
    ...overrides,
  });
}

const context: CallContext = { signal: new AbortController().signal, requestId: 'req_1', clientHeaders: {} };

const request: ProviderRequest = {
  model: 'gemini/gemini-3-pro-preview',
  upstreamModel: 'gemini-3-pro-preview',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How many r in strawberry?' }] }],
  maxOutputTokens: 100,
  stream: true,
};

describe('createGeminiAdapter', () => {
  it('posts to streamGenerateContent?alt=sse with the key in x-goog-api-key and decodes the stream', async () => {
    seen.length = 0;
    respond = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(chunksToSse(loadChunks('gemini/vercel-google-text.chunks.txt')));
    };
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

    const [call] = seen;
    expect(call?.method).toBe('POST');
    const url = new URL(call?.url ?? '', baseUrl);
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

  it('a 429 with RetryInfo throws rate_limit with retryAfterMs before any event', async () => {
    seen.length = 0;
    respond = (res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(readFileSync(fixturePath('gemini/vercel-google-429-retry-info.json'), 'utf8'));
    };
    const events: CanonicalEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of adapter({ baseUrl: `${baseUrl}v1beta` }).stream(request, context))
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
    expect(new URL(seen[0]?.url ?? '', baseUrl).pathname).toBe(
      '/v1beta/models/gemini-3-pro-preview:streamGenerateContent',
    );
  });

  it('an unreachable upstream is a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const stream = adapter({ baseUrl: `http://127.0.0.1:${port}` }).stream(request, context);
    await expect(collectResponse(stream)).rejects.toMatchObject({ failureClass: 'network' });
  });
});
