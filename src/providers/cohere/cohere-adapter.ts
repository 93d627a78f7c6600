/**
 * The Cohere provider: canonical request -> POST {baseUrl}/v2/chat (always streamed, SSE) -> canonical
 * events. `baseUrl` is the origin (`https://api.cohere.com`), as in Cohere's SDKs.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import type { CallContext, EmbeddingCapable, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { bearerJsonHeaders } from '../shared/bearer-auth.js';
import { embedInBatches } from '../shared/embed-in-batches.js';
import { postUpstream } from '../shared/post-upstream.js';
import { readEmbeddingAnswer } from '../shared/read-embedding-answer.js';
import { bodyReadError } from '../shared/relay-response.js';
import { parseSse } from '../shared/sse.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import {
  COHERE_MAX_TEXTS,
  cohereEmbedAnswer,
  cohereTakesDimensions,
  fromCohereEmbed,
  toCohereEmbed,
} from './cohere-embeddings.js';
import { cohereErrorParser } from './cohere-error.js';
import { decodeCohereStream } from './cohere-stream-decoder.js';
import { convertToCohereRequest } from './convert-to-cohere-request.js';

export function createCohereAdapter(config: ProviderConfig): ProviderAdapter<string> & EmbeddingCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/v2/chat`;
  const embedUrl = `${config.baseUrl.replace(/\/+$/, '')}/v2/embed`;

  function embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    return embedInBatches(request, context, { size: COHERE_MAX_TEXTS }, embedBatch);
  }

  async function embedBatch(
    request: ProviderEmbeddingRequest,
    context: CallContext,
  ): Promise<EmbeddingResult> {
    const response = await postUpstream(agent, embedUrl, {
      config,
      context,
      headers: bearerJsonHeaders(config, context, 'application/json'),
      body: JSON.stringify(toCohereEmbed(request)),
      refusal: (refused) => upstreamError(config.name, refused, cohereErrorParser(refused.status)),
    });
    return fromCohereEmbed(
      await readEmbeddingAnswer(response, cohereEmbedAnswer, config.name),
      request,
      config.name,
    );
  }

  /** The JSON body sent; what Cohere cannot take (file parts, ...) is thrown here. */
  function prepare(request: ProviderRequest): string {
    return JSON.stringify(convertToCohereRequest(request, config.name));
  }

  function stream(
    request: ProviderRequest,
    context: CallContext,
    body?: string,
  ): AsyncIterable<CanonicalEvent> {
    return upstreamStream({
      open: () =>
        postUpstream(agent, url, {
          config,
          context,
          headers: bearerJsonHeaders(config, context, 'text/event-stream'),
          body: body ?? prepare(request),
          refusal: (refused) => upstreamError(config.name, refused, cohereErrorParser(refused.status)),
        }),
      decode: (response) => decodeCohereStream(parseSse(response.body), { provider: config.name }),
      bodyError: (error) => bodyReadError(error, config.name),
    });
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
    prepare,
    stream,
    embeddings: { tokens: false, dimensions: cohereTakesDimensions },
    embed,
  };
}
