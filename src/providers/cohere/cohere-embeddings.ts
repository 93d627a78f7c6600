/**
 * Cohere embeddings: `POST {baseUrl}/v2/embed`. Cohere's v3+ models require `input_type`: the client's
 * (Junction's `input_type` extension, or the alias default), else `search_document` (what an index of
 * documents wants, and what an OpenAI client embedding a corpus means). `dimensions` becomes
 * `output_dimension` (embed-v4).
 */
import { z } from 'zod';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { estimateEmbeddingTokens } from '../../core/embeddings.js';
import { malformedEmbeddings } from '../shared/read-embedding-answer.js';

export const COHERE_DEFAULT_INPUT_TYPE = 'search_document';

/** Texts one embed call takes, on Cohere's API and on Bedrock; larger requests are split (embedInBatches). */
export const COHERE_MAX_TEXTS = 96;

export function toCohereEmbed(request: ProviderEmbeddingRequest): Record<string, unknown> {
  return {
    model: request.upstreamModel,
    texts: request.input.kind === 'text' ? request.input.texts : [],
    input_type: request.inputType ?? COHERE_DEFAULT_INPUT_TYPE,
    embedding_types: ['float'],
    ...(request.dimensions !== undefined ? { output_dimension: request.dimensions } : {}),
  };
}

/** v2 answers `embeddings` by type; a v1-style bare array of vectors (`embeddings_floats`) is read too. */
export const cohereEmbedAnswer = z.looseObject({
  embeddings: z.union([z.looseObject({ float: z.array(z.array(z.number())) }), z.array(z.array(z.number()))]),
  meta: z
    .looseObject({
      billed_units: z.looseObject({ input_tokens: z.number().optional() }).optional(),
    })
    .optional(),
});

export function fromCohereEmbed(
  answer: z.infer<typeof cohereEmbedAnswer>,
  request: ProviderEmbeddingRequest,
  provider: string,
  inputTokens?: number,
): EmbeddingResult {
  const vectors = Array.isArray(answer.embeddings) ? answer.embeddings : answer.embeddings.float;
  const expected = request.input.kind === 'text' ? request.input.texts.length : 0;
  if (vectors.length !== expected)
    throw malformedEmbeddings(provider, `expected ${expected} embeddings, got ${vectors.length}`);
  return {
    vectors,
    inputTokens:
      inputTokens ?? answer.meta?.billed_units?.input_tokens ?? estimateEmbeddingTokens(request.input),
  };
}

/** Only Embed v4 can shorten its vectors (`output_dimension`). */
export function cohereTakesDimensions(model: string): boolean {
  return model.includes('embed-v4');
}
