/**
 * Ollama embeddings: `POST {baseUrl}/api/embed` with `input` as an array of texts; `dimensions` is passed
 * as Ollama names it (models that cannot shorten their vectors refuse it). Usage is `prompt_eval_count`.
 */
import { z } from 'zod';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { estimateEmbeddingTokens } from '../../core/embeddings.js';
import { checkEmbeddingCount } from '../shared/read-embedding-answer.js';

export function toOllamaEmbed(request: ProviderEmbeddingRequest): Record<string, unknown> {
  return {
    model: request.upstreamModel,
    input: request.input.kind === 'text' ? request.input.texts : [],
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
  };
}

export const ollamaEmbedAnswer = z.looseObject({
  model: z.string().optional(),
  embeddings: z.array(z.array(z.number())),
  prompt_eval_count: z.number().optional(),
});

export function fromOllamaEmbed(
  answer: z.infer<typeof ollamaEmbedAnswer>,
  request: ProviderEmbeddingRequest,
  provider: string,
): EmbeddingResult {
  checkEmbeddingCount(answer.embeddings.length, request, provider);
  return {
    vectors: answer.embeddings,
    inputTokens: answer.prompt_eval_count ?? estimateEmbeddingTokens(request.input),
    ...(answer.model !== undefined ? { model: answer.model } : {}),
  };
}
