/**
 * Provider adapter for OpenAI and any server that speaks Chat Completions (`POST {baseUrl}/chat/completions`).
 * `baseUrl` includes the version path (`https://api.openai.com/v1`), as in the OpenAI SDKs.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import type {
  CallContext,
  ProviderAdapter,
  ProviderCapabilities,
  ProviderConfig,
  RelayCapable,
  RelayedResponse,
  WireDialect,
} from '../provider-adapter.js';
import { bodyReadError, relayResponse } from '../shared/relay-response.js';
import { parseSse } from '../shared/sse.js';
import { upstreamError } from '../shared/upstream-error.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';
import { createUpstreamAgent, sendUpstream } from '../shared/upstream-http.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';
import { decodeOpenAIChatStream } from './openai-chat-stream-decoder.js';
import { parseOpenAIError } from './openai-error.js';
import { createOpenAIChatUsageTap } from './openai-usage-tap.js';

const CAPABILITIES: ProviderCapabilities = {
  stream: true,
  tools: true,
  vision: true,
  documents: true,
  reasoning: true,
  jsonSchema: true,
};

/** Upstream response headers a relayed client still gets: the body type and the ids needed for support. */
const RELAYED_HEADERS = ['content-type', 'x-request-id', 'openai-processing-ms'];

export function createOpenAIAdapter(config: ProviderConfig): ProviderAdapter & RelayCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json', ...config.headers };
  const headersFor = (context: CallContext): Record<string, string> => {
    const apiKey = context.apiKey ?? config.apiKeys[0];
    return apiKey ? { ...baseHeaders, authorization: `Bearer ${apiKey}` } : baseHeaders;
  };

  async function post(body: string, context: CallContext): Promise<UpstreamResponse> {
    const response = await sendUpstream(agent, url, {
      headers: headersFor(context),
      body,
      signal: context.signal,
      timeoutMs: config.timeoutMs,
      provider: config.name,
    });
    if (response.status < 200 || response.status >= 300) {
      throw await upstreamError(config.name, response, parseOpenAIError);
    }
    return response;
  }

  return {
    name: config.name,
    type: config.type,
    capabilities: CAPABILITIES,
    relayDialects: ['openai-chat'],

    async *stream(request: ProviderRequest, context: CallContext): AsyncGenerator<CanonicalEvent> {
      const body = JSON.stringify(convertToOpenAIChatRequest(request, config.name));
      const response = await post(body, context);
      try {
        yield* decodeOpenAIChatStream(parseSse(response.body), config.name);
      } catch (error) {
        throw bodyReadError(error, config.name);
      }
    },

    /**
     * Forwards the client's body with only `model` replaced, so fields the gateway does not know survive.
     * `stream_options.include_usage` is deliberately not added: it would change what the client receives
     * (an extra usage-only chunk). Usage is therefore counted on this path only when the upstream reports
     * it: always for a non-stream answer, for a stream only when the client asked for include_usage.
     */
    async relay(
      dialect: WireDialect,
      body: Record<string, unknown>,
      upstreamModel: string,
      context: CallContext,
    ): Promise<RelayedResponse> {
      if (dialect !== 'openai-chat') {
        throw new GatewayError('internal', `Provider ${config.name} cannot relay the ${dialect} dialect`);
      }
      const response = await post(JSON.stringify({ ...body, model: upstreamModel }), context);
      return relayResponse(
        response,
        RELAYED_HEADERS,
        createOpenAIChatUsageTap,
        body['stream'] === true,
        config.name,
      );
    },
  };
}
