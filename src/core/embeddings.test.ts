import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../test/support/fixtures.js';
import { base64ToFloats, estimateEmbeddingTokens, floatsToBase64 } from './embeddings.js';

describe('base64 embeddings', () => {
  it('reads and writes OpenAI base64 exactly (recorded text-embedding-3-small answer)', () => {
    const [interaction] = loadCassette('openai-embeddings/pydantic-ai-TestOpenAI.test_documents.yaml');
    const body = interaction!.response.parsed_body as { data: Array<{ embedding: string }> };
    for (const { embedding } of body.data) {
      const floats = base64ToFloats(embedding);
      expect(floats).toHaveLength(1536);
      expect(floats.every((value) => Number.isFinite(value) && Math.abs(value) < 1)).toBe(true);
      expect(floatsToBase64(floats)).toBe(embedding);
    }
  });

  it('encodes little-endian float32', () => {
    expect(floatsToBase64([1])).toBe(Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'));
    expect(base64ToFloats(floatsToBase64([0.5, -2]))).toEqual([0.5, -2]);
  });

  it('estimates text at 4 characters a token and counts token arrays exactly', () => {
    expect(estimateEmbeddingTokens({ kind: 'text', texts: ['abcdefgh', 'abc'] })).toBe(3);
    expect(estimateEmbeddingTokens({ kind: 'tokens', tokens: [[1, 2, 3], [4]] })).toBe(4);
  });
});
