/**
 * The Ollama provider over its native API: canonical request -> POST {baseUrl}/api/chat (always streamed,
 * NDJSON) -> canonical events. `baseUrl` is the server origin (`http://127.0.0.1:11434`). No key is needed;
 * one configured (for ollama.com or a proxy in front) is sent as a bearer token.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import type { CallContext, EmbeddingCapable, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { bearerJsonHeaders } from '../shared/bearer-auth.js';
import { postUpstream } from '../shared/post-upstream.js';
import { readEmbeddingAnswer } from '../shared/read-embedding-answer.js';
import { bodyReadError } from '../shared/relay-response.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import { convertToOllamaRequest } from './convert-to-ollama-request.js';
import { ndjsonLines } from './ndjson-lines.js';
import { fromOllamaEmbed, ollamaEmbedAnswer, toOllamaEmbed } from './ollama-embeddings.js';
import { parseOllamaError } from './ollama-error.js';
import { decodeOllamaStream } from './ollama-stream-decoder.js';

export function createOllamaAdapter(config: ProviderConfig): ProviderAdapter<string> & EmbeddingCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/api/chat`;
  const embedUrl = `${config.baseUrl.replace(/\/+$/, '')}/api/embed`;

  async function embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const response = await postUpstream(agent, embedUrl, {
      config,
      context,
      headers: bearerJsonHeaders(config, context, 'application/json'),
      body: JSON.stringify(toOllamaEmbed(request)),
      refusal: (refused) => upstreamError(config.name, refused, parseOllamaError),
    });
    return fromOllamaEmbed(
      await readEmbeddingAnswer(response, ollamaEmbedAnswer, config.name),
      request,
      config.name,
    );
  }

  /** The JSON body sent; what Ollama cannot take (file parts, ...) is thrown here. */
  function prepare(request: ProviderRequest): string {
    return JSON.stringify(convertToOllamaRequest(request, config.name));
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
          headers: bearerJsonHeaders(config, context, 'application/x-ndjson'),
          body: body ?? prepare(request),
          refusal: (refused) => upstreamError(config.name, refused, parseOllamaError),
        }),
      decode: (response) => decodeOllamaStream(ndjsonLines(response.body), config.name),
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
    embeddings: { tokens: false, dimensions: () => true },
    embed,
  };
}
