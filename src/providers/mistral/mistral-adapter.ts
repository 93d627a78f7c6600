/**
 * The Mistral provider: canonical request -> POST {baseUrl}/chat/completions (always streamed) ->
 * canonical events. `baseUrl` includes the version path (`https://api.mistral.ai/v1`).
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { CallContext, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { bodyReadError } from '../shared/relay-response.js';
import { parseSse } from '../shared/sse.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent, sendUpstream } from '../shared/upstream-http.js';
import { convertToMistralRequest } from './convert-to-mistral-request.js';
import { parseMistralError } from './mistral-error.js';
import { decodeMistralStream } from './mistral-stream-decoder.js';
import { MistralToolCallIds } from './mistral-tool-call-id.js';

export function createMistralAdapter(config: ProviderConfig): ProviderAdapter {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;

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
    const ids = new MistralToolCallIds();
    const body = JSON.stringify(convertToMistralRequest(request, config.name, ids));
    const response = await sendUpstream(agent, url, {
      headers: headersFor(context),
      body,
      signal: context.signal,
      timeoutMs: config.timeoutMs,
      provider: config.name,
    });
    if (response.status < 200 || response.status >= 300) {
      throw await upstreamError(config.name, response, parseMistralError);
    }
    try {
      yield* decodeMistralStream(parseSse(response.body), { provider: config.name, ids });
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
      documents: true,
      reasoning: true,
      jsonSchema: true,
    },
    stream,
  };
}
