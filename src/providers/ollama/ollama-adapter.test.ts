// The upstream replays Ollama's documented /api/chat stream (ollama/ollama docs/api.md, "Chat request
// (Streaming with tools)"); no recording of the native API exists.
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createOllamaAdapter } from './ollama-adapter.js';
import { HISTORY_WITH_TOOLS_REQUEST, STREAMING_TOOLS, toNdjson } from './ollama-documented-examples.js';

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

/** Writes the NDJSON in pieces that cut lines in the middle, as a socket may. */
function replyNdjson(text: string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (let offset = 0; offset < text.length; offset += 50) res.write(text.slice(offset, offset + 50));
    res.end();
  };
}

function replyJson(status: number, body: unknown): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
}

function config(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name: 'ollama',
    type: 'ollama',
    baseUrl,
    apiKeys: [],
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

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('createOllamaAdapter', () => {
  it('posts to /api/chat without auth by default and decodes the NDJSON stream', async () => {
    reply = replyNdjson(toNdjson(STREAMING_TOOLS));
    const response = await collectResponse(createOllamaAdapter(config()).stream(REQUEST, context()));

    expect(seen).toHaveLength(1);
    const [sent] = seen;
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
    reply = replyNdjson(toNdjson(STREAMING_TOOLS));
    await collectResponse(
      createOllamaAdapter(config({ baseUrl: `${baseUrl}/`, apiKeys: ['oll-key'] })).stream(
        REQUEST,
        context(),
      ),
    );
    expect(seen[0]!.url).toBe('/api/chat');
    expect(seen[0]!.headers.authorization).toBe('Bearer oll-key');
  });

  it('a 404 for a model that is not pulled is not_found', async () => {
    reply = replyJson(404, { error: 'model "llama3.2" not found, try pulling it first' });
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
    expect(seen).toHaveLength(0);
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
