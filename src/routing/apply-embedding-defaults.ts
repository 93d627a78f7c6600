/**
 * The per-alias defaults an embeddings request takes: `input_type` (validated when the config loads), when
 * the client sent none. The generation defaults (temperature, max_tokens, ...) mean nothing here.
 */
import type { EmbeddingRequest } from '../core/embeddings.js';
import { isEmbeddingInputType } from '../core/embeddings.js';

export function applyEmbeddingDefaults(
  request: EmbeddingRequest,
  defaults: Readonly<Record<string, unknown>>,
): EmbeddingRequest {
  const inputType = defaults['input_type'];
  if (request.inputType !== undefined || !isEmbeddingInputType(inputType)) return request;
  return { ...request, inputType };
}
