/**
 * The Gemini API (generativelanguage.googleapis.com) provider: streamGenerateContent over SSE.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import type { CallContext, EmbeddingCapable, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { embedInBatches } from '../shared/embed-in-batches.js';
import { postUpstream } from '../shared/post-upstream.js';
import { readEmbeddingAnswer } from '../shared/read-embedding-answer.js';
import { parseSse } from '../shared/sse.js';
import { streamBreakError } from '../shared/stream-break-error.js';
import { createUpstreamAgent } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import {
  fromGeminiBatchEmbed,
  GEMINI_MAX_BATCH,
  geminiBatchEmbedAnswer,
  geminiTakesDimensions,
  toGeminiBatchEmbed,
} from './gemini-embeddings.js';
import { geminiUpstreamError } from './gemini-error.js';
import type { GeminiExchange } from './gemini-exchange.js';
import { geminiExchange } from './gemini-exchange.js';

export function createGeminiAdapter(
  config: ProviderConfig,
): ProviderAdapter<GeminiExchange> & EmbeddingCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  // Accept a base URL given with or without the API version.
  const trimmed = config.baseUrl.replace(/\/+$/, '');
  const apiRoot = /\/v1(beta\d*)?$/.test(trimmed) ? trimmed : `${trimmed}/v1beta`;

  function apiHeaders(context: CallContext, accept: string): Record<string, string> {
    // The key goes in a header, never the URL, so it cannot leak through logged URLs.
    const headers: Record<string, string> = { ...config.headers, 'content-type': 'application/json', accept };
    const apiKey = context.apiKey ?? config.apiKeys[0];
    if (apiKey) headers['x-goog-api-key'] = apiKey;
    return headers;
  }

  function embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    return embedInBatches(request, context, { size: GEMINI_MAX_BATCH }, embedBatch);
  }

  async function embedBatch(
    request: ProviderEmbeddingRequest,
    context: CallContext,
  ): Promise<EmbeddingResult> {
    const model = encodeURIComponent(request.upstreamModel.replace(/^models\//, ''));
    const response = await postUpstream(agent, `${apiRoot}/models/${model}:batchEmbedContents`, {
      config,
      context,
      headers: apiHeaders(context, 'application/json'),
      body: JSON.stringify(toGeminiBatchEmbed(request)),
      refusal: (refused) => geminiUpstreamError(config.name, refused),
    });
    const answer = await readEmbeddingAnswer(response, geminiBatchEmbedAnswer, config.name);
    return fromGeminiBatchEmbed(answer, request, config.name);
  }

  /** What Gemini cannot take (a request with no content, file URLs it cannot fetch, ...) is thrown here. */
  function prepare(request: ProviderRequest): GeminiExchange {
    return geminiExchange(request, { provider: config.name });
  }

  function stream(
    request: ProviderRequest,
    context: CallContext,
    prepared?: GeminiExchange,
  ): AsyncIterable<CanonicalEvent> {
    let exchange = prepared;
    return upstreamStream({
      open: () => {
        exchange ??= prepare(request);
        exchange.warn(context.warn);
        const body = JSON.stringify(exchange.body);
        const model = encodeURIComponent(request.upstreamModel.replace(/^models\//, ''));
        const headers = apiHeaders(context, 'text/event-stream');
        return postUpstream(agent, `${apiRoot}/models/${model}:streamGenerateContent?alt=sse`, {
          config,
          context,
          headers,
          body,
          refusal: (refused) => geminiUpstreamError(config.name, refused),
        });
      },
      decode: (response) => exchange!.decode(parseSse(response.body)),
      // An attempt timeout mid-body is a timeout, not a network failure.
      bodyError: (error) => streamBreakError(error, config.name, context.cancel),
    });
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
      assistantPrefill: true,
    },
    prepare,
    stream,
    embeddings: { tokens: false, dimensions: geminiTakesDimensions },
    embed,
  };
}
