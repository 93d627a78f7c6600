/**
 * The Mistral provider: canonical request -> POST {baseUrl}/chat/completions (always streamed) ->
 * canonical events. `baseUrl` includes the version path (`https://api.mistral.ai/v1`).
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { openAIEmbeddingsBody, readOpenAIEmbeddings } from '../openai/openai-embeddings.js';
import type { CallContext, EmbeddingCapable, ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { bearerJsonHeaders } from '../shared/bearer-auth.js';
import { postUpstream } from '../shared/post-upstream.js';
import { bodyReadError } from '../shared/relay-response.js';
import { parseSse } from '../shared/sse.js';
import { upstreamError } from '../shared/upstream-error.js';
import { createUpstreamAgent } from '../shared/upstream-http.js';
import { upstreamStream } from '../shared/upstream-stream.js';
import { convertToMistralRequest } from './convert-to-mistral-request.js';
import { parseMistralError } from './mistral-error.js';

export const MISTRAL_EMBEDDING_RENAME: Readonly<Record<string, string>> = { dimensions: 'output_dimension' };

import { decodeMistralStream } from './mistral-stream-decoder.js';
import { MistralToolCallIds } from './mistral-tool-call-id.js';

/** The JSON body sent, and the tool call ids it mapped (the decoder maps Mistral's back). */
export interface MistralPrepared {
  body: string;
  ids: MistralToolCallIds;
}

export function createMistralAdapter(
  config: ProviderConfig,
): ProviderAdapter<MistralPrepared> & EmbeddingCapable {
  const agent = createUpstreamAgent(config.maxConnections, config.http2 === true);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const embeddingsUrl = `${config.baseUrl.replace(/\/+$/, '')}/embeddings`;

  /** Mistral's embeddings are OpenAI's wire but for `output_dimension` (docs.mistral.ai/api/endpoint/embeddings). */
  async function embed(request: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> {
    const response = await postUpstream(agent, embeddingsUrl, {
      config,
      context,
      headers: bearerJsonHeaders(config, context, 'application/json'),
      body: JSON.stringify(openAIEmbeddingsBody(request, MISTRAL_EMBEDDING_RENAME)),
      refusal: (refused) => upstreamError(config.name, refused, parseMistralError),
    });
    return readOpenAIEmbeddings(response, request, config.name);
  }

  /** What Mistral cannot take (file parts it has no chunk for, ...) is thrown here. */
  function prepare(request: ProviderRequest): MistralPrepared {
    const ids = new MistralToolCallIds();
    return { body: JSON.stringify(convertToMistralRequest(request, config.name, ids)), ids };
  }

  function stream(
    request: ProviderRequest,
    context: CallContext,
    given?: MistralPrepared,
  ): AsyncIterable<CanonicalEvent> {
    let prepared = given;
    return upstreamStream({
      open: () => {
        prepared ??= prepare(request);
        return postUpstream(agent, url, {
          config,
          context,
          headers: bearerJsonHeaders(config, context, 'text/event-stream'),
          body: prepared.body,
          refusal: (refused) => upstreamError(config.name, refused, parseMistralError),
        });
      },
      decode: (response) =>
        decodeMistralStream(parseSse(response.body), { provider: config.name, ids: prepared!.ids }),
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
      documents: true,
      reasoning: true,
      jsonSchema: true,
      assistantPrefill: true,
    },
    prepare,
    stream,
    // Mistral's `input` is a string or an array of strings.
    embeddings: { tokens: false, dimensions: () => true },
    embed,
  };
}
