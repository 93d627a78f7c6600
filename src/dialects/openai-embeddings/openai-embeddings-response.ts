/**
 * The OpenAI CreateEmbeddingResponse: a `list` of `embedding` objects in input order, each vector as
 * floats or, for `encoding_format: "base64"`, little-endian float32 in base64 (made here when the upstream
 * sent floats, exactly what the OpenAI SDKs decode).
 */
import type { EmbeddingResult } from '../../core/embeddings.js';
import { base64ToFloats, floatsToBase64 } from '../../core/embeddings.js';

export interface OpenAIEmbeddingResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export function encodeEmbeddingResponse(
  result: EmbeddingResult,
  encodingFormat: 'float' | 'base64',
  model: string,
): OpenAIEmbeddingResponse {
  return {
    object: 'list',
    data: result.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: inFormat(vector, encodingFormat),
    })),
    model,
    usage: { prompt_tokens: result.inputTokens, total_tokens: result.inputTokens },
  };
}

function inFormat(vector: number[] | string, format: 'float' | 'base64'): number[] | string {
  if (format === 'base64') return typeof vector === 'string' ? vector : floatsToBase64(vector);
  return typeof vector === 'string' ? base64ToFloats(vector) : vector;
}
