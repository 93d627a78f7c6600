import { describe, expect, it } from 'vitest';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { fromOllamaEmbed, ollamaEmbedAnswer, toOllamaEmbed } from './ollama-embeddings.js';

function request(texts: string[], dimensions?: number): ProviderEmbeddingRequest {
  return {
    model: 'local',
    upstreamModel: 'embeddinggemma',
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    ...(dimensions !== undefined ? { dimensions } : {}),
    body: {},
  };
}

// The /api/embed example of Ollama's API documentation (docs.ollama.com/api/embed), vector shortened.
const DOCUMENTED_ANSWER = {
  model: 'embeddinggemma',
  embeddings: [[0.010071029, -0.0017594862, 0.05007221]],
  total_duration: 14143917,
  load_duration: 1019500,
  prompt_eval_count: 8,
};

describe('Ollama /api/embed', () => {
  it('sends the texts as input, with dimensions as Ollama names it', () => {
    expect(toOllamaEmbed(request(['Why is the sky blue?'], 256))).toEqual({
      model: 'embeddinggemma',
      input: ['Why is the sky blue?'],
      dimensions: 256,
    });
  });

  it('reads the documented answer with prompt_eval_count as input tokens', () => {
    const result = fromOllamaEmbed(
      ollamaEmbedAnswer.parse(DOCUMENTED_ANSWER),
      request(['Why is the sky blue?']),
      'ollama',
    );
    expect(result).toEqual({
      vectors: DOCUMENTED_ANSWER.embeddings,
      inputTokens: 8,
      model: 'embeddinggemma',
    });
  });
});
