import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCassette, requestJson, responseText } from '../../../test/support/fixtures.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createMistralAdapter } from './mistral-adapter.js';

const CASSETTE = loadCassette('mistral/pydantic-ai-mistral_model_thinking_part_iter.yaml')[0]!;

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
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (let offset = 0; offset < text.length; offset += 113) res.write(text.slice(offset, offset + 113));
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
    name: 'mistral',
    type: 'mistral',
    baseUrl: `${baseUrl}/v1`,
    apiKeys: ['mistral-key-1'],
    timeoutMs: 5000,
    headers: {},
    maxConnections: 4,
    ...overrides,
  };
}

function context(): CallContext {
  return { signal: new AbortController().signal, requestId: 'req-1', clientHeaders: {} };
}

const REQUEST: ProviderRequest = {
  model: 'mistral/magistral-medium-latest',
  upstreamModel: 'magistral-medium-latest',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] }],
  stream: true,
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

describe('createMistralAdapter', () => {
  it('posts the recorded request to {base}/chat/completions with bearer auth and decodes the recorded stream', async () => {
    reply = replySse(responseText(CASSETTE));
    const response = await collectResponse(createMistralAdapter(config()).stream(REQUEST, context()));

    expect(seen).toHaveLength(1);
    const [sent] = seen;
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
    reply = replyJson(422, {
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
    reply = replyJson(401, { message: 'Unauthorized', request_id: 'r1' });
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
    });
  });
});
