/**
 * The Cohere provider: canonical request -> POST {baseUrl}/v2/chat (always streamed, SSE) -> canonical
 * events. `baseUrl` is the origin (`https://api.cohere.com`), as in Cohere's SDKs.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { CallContext, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { bodyReadError } from '../shared/relay-response.js';
import { parseSse } from '../shared/sse.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent, sendUpstream } from '../shared/upstream-http.js';
import { cohereErrorParser } from './cohere-error.js';
import { decodeCohereStream } from './cohere-stream-decoder.js';
import { convertToCohereRequest } from './convert-to-cohere-request.js';

export function createCohereAdapter(config: ProviderConfig): ProviderAdapter {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/v2/chat`;

  function headersFor(context: CallContext): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...config.headers,
    };
    const apiKey = context.apiKey ?? config.apiKeys[0];
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    return headers;
  }

  async function* stream(request: ProviderRequest, context: CallContext): AsyncGenerator<CanonicalEvent> {
    const body = JSON.stringify(convertToCohereRequest(request, config.name));
    const response = await sendUpstream(agent, url, {
      headers: headersFor(context),
      body,
      signal: context.signal,
      timeoutMs: config.timeoutMs,
      provider: config.name,
    });
    if (response.status < 200 || response.status >= 300) {
      throw await upstreamError(config.name, response, cohereErrorParser(response.status));
    }
    try {
      yield* decodeCohereStream(parseSse(response.body), { provider: config.name });
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
