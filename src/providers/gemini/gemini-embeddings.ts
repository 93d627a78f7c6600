/**
 * Gemini embeddings: `POST {apiRoot}/models/{model}:batchEmbedContents`, one request per text, in order
 * (at most 100 a call: larger requests are split by the adapter).
 * `dimensions` becomes `outputDimensionality`; the request's `input_type` becomes `taskType` (unset: the
 * model's default). The answer carries no token count on every model, so usage falls back to the
 * 4-characters-a-token estimate.
 */
import { z } from 'zod';
import type { EmbeddingInputType, EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { estimateEmbeddingTokens } from '../../core/embeddings.js';
import { checkEmbeddingCount } from '../shared/read-embedding-answer.js';

/** Requests one batchEmbedContents call takes ("at most 100 requests can be in one batch"). */
export const GEMINI_MAX_BATCH = 100;

/** Cohere's input types as Google's task types (Gemini API `taskType`, Vertex `task_type`). */
export const GOOGLE_TASK_TYPES: Readonly<Record<EmbeddingInputType, string>> = {
  search_document: 'RETRIEVAL_DOCUMENT',
  search_query: 'RETRIEVAL_QUERY',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
};

export function toGeminiBatchEmbed(request: ProviderEmbeddingRequest): Record<string, unknown> {
  const model = `models/${request.upstreamModel.replace(/^models\//, '')}`;
  const texts = request.input.kind === 'text' ? request.input.texts : [];
  const taskType = request.inputType !== undefined ? GOOGLE_TASK_TYPES[request.inputType] : undefined;
  return {
    requests: texts.map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(taskType !== undefined ? { taskType } : {}),
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
    })),
  };
}

export const geminiBatchEmbedAnswer = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
  usageMetadata: z.looseObject({ promptTokenCount: z.number().optional() }).optional(),
});

export function fromGeminiBatchEmbed(
  answer: z.infer<typeof geminiBatchEmbedAnswer>,
  request: ProviderEmbeddingRequest,
  provider: string,
): EmbeddingResult {
  checkEmbeddingCount(answer.embeddings.length, request, provider);
  return {
    vectors: answer.embeddings.map((embedding) => embedding.values),
    inputTokens: answer.usageMetadata?.promptTokenCount ?? estimateEmbeddingTokens(request.input),
  };
}

/** `outputDimensionality` is taken by every Gemini embedding model but the legacy `embedding-001`. */
export function geminiTakesDimensions(model: string): boolean {
  return model.replace(/^models\//, '') !== 'embedding-001';
}
