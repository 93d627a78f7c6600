import { describe, expect, it } from 'vitest';
import type { EmbeddingRequest } from '../core/embeddings.js';
import { applyEmbeddingDefaults } from './apply-embedding-defaults.js';

const request: EmbeddingRequest = {
  model: 'emb',
  input: { kind: 'text', texts: ['a'] },
  encodingFormat: 'float',
  body: { model: 'emb', input: 'a' },
};

describe('applyEmbeddingDefaults', () => {
  it('fills input_type from the alias when the client sent none', () => {
    expect(applyEmbeddingDefaults(request, { input_type: 'search_query', temperature: 0.2 })).toEqual({
      ...request,
      inputType: 'search_query',
    });
  });

  it('leaves the client’s own input_type, and a request under an alias without the default', () => {
    const asked: EmbeddingRequest = { ...request, inputType: 'clustering' };
    expect(applyEmbeddingDefaults(asked, { input_type: 'search_query' })).toBe(asked);
    expect(applyEmbeddingDefaults(request, { temperature: 0.2 })).toBe(request);
  });
});
