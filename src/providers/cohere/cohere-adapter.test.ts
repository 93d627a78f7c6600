import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunksToSse, loadCassette, loadChunks, requestJson } from '../../../test/support/fixtures.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createCohereAdapter } from './cohere-adapter.js';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: (res: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

function replySse(text: string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let offset = 0; offset < text.length; offset += 97) res.write(text.slice(offset, offset + 97));
    res.end();
  };
}

function replyJson(status: number, body: unknown): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

function config(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name: 'cohere',
    type: 'cohere',
    baseUrl: `${baseUrl}/`,
    apiKeys: ['co-first-key', 'co-second-key'],
    timeoutMs: 5000,
    headers: { 'x-client-name': 'junction' },
    maxConnections: 4,
    ...overrides,
  };
}

function context(apiKey?: string): CallContext {
  return {
    signal: new AbortController().signal,
    requestId: 'req-1',
    clientHeaders: {},
    ...(apiKey ? { apiKey } : {}),
  };
}

const REQUEST: ProviderRequest = {
  model: 'cohere/command-r7b-12-2024',
  upstreamModel: 'command-r7b-12-2024',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
  stream: false,
};

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('createCohereAdapter', () => {
  it('posts the converted body to /v2/chat with bearer auth and decodes the replayed stream', async () => {
    reply = replySse(
      chunksToSse(loadChunks('cohere/vercel-cohere-text.chunks.txt'), { withEventNames: true }),
    );
    const response = await collectResponse(createCohereAdapter(config()).stream(REQUEST, context()));

    expect(seen).toHaveLength(1);
    const [sent] = seen;
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
    reply = replySse(chunksToSse(loadChunks('cohere/vercel-cohere-text.chunks.txt')));
    await collectResponse(createCohereAdapter(config()).stream(REQUEST, context('co-second-key')));
    expect(seen[0]!.headers.authorization).toBe('Bearer co-second-key');
  });

  it('the recorded 404 body becomes a not_found GatewayError with Cohere message', async () => {
    const recorded = loadCassette('cohere/pydantic-ai-TestCohere.test_embed_error.yaml')[0]!.response;
    reply = replyJson(recorded.status.code, recorded.parsed_body);
    const error = await failure(collectResponse(createCohereAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('not_found');
    expect(error.upstreamStatus).toBe(404);
    expect(error.provider).toBe('cohere');
    expect(error.message).toMatch(/^cohere: model 'nonexistent' not found/);
  });

  it('a 498 invalid token is an auth failure that never shows the key', async () => {
    reply = replyJson(498, { message: 'invalid api token' });
    const error = await failure(collectResponse(createCohereAdapter(config()).stream(REQUEST, context())));
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('co-first-key');
  });

  it('a 429 is a retryable rate_limit', async () => {
    reply = replyJson(429, {
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
