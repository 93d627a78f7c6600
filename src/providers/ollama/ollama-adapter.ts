/**
 * The Ollama provider over its native API: canonical request -> POST {baseUrl}/api/chat (always streamed,
 * NDJSON) -> canonical events. `baseUrl` is the server origin (`http://127.0.0.1:11434`). No key is needed;
 * one configured (for ollama.com or a proxy in front) is sent as a bearer token.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { CallContext, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { bodyReadError } from '../shared/relay-response.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent, sendUpstream } from '../shared/upstream-http.js';
import { convertToOllamaRequest } from './convert-to-ollama-request.js';
import { ndjsonLines } from './ndjson-lines.js';
import { parseOllamaError } from './ollama-error.js';
import { decodeOllamaStream } from './ollama-stream-decoder.js';

export function createOllamaAdapter(config: ProviderConfig): ProviderAdapter {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/api/chat`;

  function headersFor(context: CallContext): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/x-ndjson',
      ...config.headers,
    };
    const apiKey = context.apiKey ?? config.apiKeys[0];
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }

  async function* stream(request: ProviderRequest, context: CallContext): AsyncGenerator<CanonicalEvent> {
    const body = JSON.stringify(convertToOllamaRequest(request, config.name));
    const response = await sendUpstream(agent, url, {
      headers: headersFor(context),
      body,
      signal: context.signal,
      timeoutMs: config.timeoutMs,
      provider: config.name,
    });
    if (response.status < 200 || response.status >= 300) {
      throw await upstreamError(config.name, response, parseOllamaError);
    }
    try {
      yield* decodeOllamaStream(ndjsonLines(response.body), config.name);
    } catch (error) {
      throw bodyReadError(error, config.name);
    } finally {
      // A consumer that stops early must not leave the connection half-read.
      if (!response.body.readableEnded) response.body.destroy();
    }
  }

  return {
    name: config.name,
    type: config.type,
    capabilities: {
      stream: true,
      tools: true,
      vision: true,
      documents: false,
      reasoning: true,
      jsonSchema: true,
    },
    stream,
  };
}
