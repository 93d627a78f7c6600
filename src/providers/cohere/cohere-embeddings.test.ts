import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson, requestJson } from '../../../test/support/fixtures.js';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import {
  cohereEmbedAnswer,
  cohereTakesDimensions,
  fromCohereEmbed,
  toCohereEmbed,
} from './cohere-embeddings.js';

function request(texts: string[], dimensions?: number): ProviderEmbeddingRequest {
  return {
    model: 'emb',
    upstreamModel: 'embed-v4.0',
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    ...(dimensions !== undefined ? { dimensions } : {}),
    body: {},
  };
}

describe('Cohere v2 embed', () => {
  it('sends the recorded request fields, with the client’s input_type, else search_document', () => {
    const recorded = requestJson(loadCassette('cohere/pydantic-ai-TestCohere.test_embed_error.yaml')[0]!);
    const asked = { ...request(['Hello, world!']), upstreamModel: 'nonexistent' };
    const expected = {
      model: recorded['model'],
      texts: recorded['texts'],
      input_type: recorded['input_type'],
      embedding_types: recorded['embedding_types'],
    };
    expect(recorded['input_type']).toBe('search_query');
    expect(toCohereEmbed({ ...asked, inputType: 'search_query' })).toEqual(expected);
    expect(toCohereEmbed(asked)).toEqual({ ...expected, input_type: 'search_document' });
  });

  it('maps dimensions to output_dimension (Embed v4 only)', () => {
    expect(toCohereEmbed(request(['a'], 512))).toMatchObject({ output_dimension: 512 });
    expect(cohereTakesDimensions('embed-v4.0')).toBe(true);
    expect(cohereTakesDimensions('embed-english-v3.0')).toBe(false);
  });

  it('reads the recorded answer with its billed input tokens', () => {
    const answer = cohereEmbedAnswer.parse(loadJson('cohere/vercel-cohere-embedding.json'));
    const result = fromCohereEmbed(
      answer,
      request(['sunny day at the beach', 'rainy day in the city']),
      'cohere',
    );
    expect(result.inputTokens).toBe(10);
    expect(result.vectors).toHaveLength(2);
    expect(result.vectors[0]).toEqual([0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256]);
  });
});
