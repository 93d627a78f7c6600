import { describe, expect, it } from 'vitest';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import {
  bedrockEmbeddingFamily,
  bedrockTakesDimensions,
  fromBedrockCohereEmbed,
  fromTitanEmbed,
  requireBedrockEmbeddingFamily,
  titanEmbedAnswer,
  toBedrockCohereEmbed,
  toTitanEmbed,
} from './bedrock-embeddings.js';

function request(upstreamModel: string, texts: string[], dimensions?: number): ProviderEmbeddingRequest {
  return {
    model: 'emb',
    upstreamModel,
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    ...(dimensions !== undefined ? { dimensions } : {}),
    body: {},
  };
}

describe('Bedrock embeddings (InvokeModel bodies from the Bedrock model parameter docs)', () => {
  it('knows the families by model id, inference profiles and ARNs included', () => {
    expect(bedrockEmbeddingFamily('amazon.titan-embed-text-v2:0')).toBe('titan');
    expect(bedrockEmbeddingFamily('us.cohere.embed-v4:0')).toBe('cohere');
    expect(
      bedrockEmbeddingFamily('arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3'),
    ).toBe('cohere');
    expect(() => requireBedrockEmbeddingFamily('anthropic.claude-3-haiku', 'aws')).toThrow(
      expect.objectContaining({ status: 400, param: 'model' }),
    );
    expect(bedrockTakesDimensions('amazon.titan-embed-text-v2:0')).toBe(true);
    expect(bedrockTakesDimensions('amazon.titan-embed-text-v1')).toBe(false);
    expect(bedrockTakesDimensions('cohere.embed-english-v3')).toBe(false);
  });

  it('Titan V2: one inputText per call, dimensions passed; tokens from the body, else the header', () => {
    const req = request('amazon.titan-embed-text-v2:0', ['abcdefgh'], 512);
    expect(toTitanEmbed('abcdefgh', req)).toEqual({ inputText: 'abcdefgh', dimensions: 512 });
    const counted = titanEmbedAnswer.parse({
      embedding: [0.1],
      inputTextTokenCount: 3,
      embeddingsByType: { float: [0.1] },
    });
    expect(fromTitanEmbed(counted, req, 9)).toEqual({ vectors: [[0.1]], inputTokens: 3 });
    const uncounted = titanEmbedAnswer.parse({ embedding: [0.2] });
    expect(fromTitanEmbed(uncounted, req, 4)).toEqual({ vectors: [[0.2]], inputTokens: 4 });
    // Neither: the estimate, 4 characters a token.
    expect(fromTitanEmbed(uncounted, req, undefined)).toEqual({ vectors: [[0.2]], inputTokens: 2 });
  });

  it('Cohere Embed: texts with input_type, the bare float array answer, the header token count', () => {
    const req = request('cohere.embed-english-v3', ['a', 'b']);
    expect(toBedrockCohereEmbed(req)).toEqual({ texts: ['a', 'b'], input_type: 'search_document' });
    expect(toBedrockCohereEmbed({ ...req, inputType: 'classification' })).toEqual({
      texts: ['a', 'b'],
      input_type: 'classification',
    });
    const answer = {
      embeddings: [[0.1], [0.2]],
      id: 'x',
      response_type: 'embeddings_floats',
      texts: ['a', 'b'],
    };
    expect(fromBedrockCohereEmbed(answer, req, 'aws', 5)).toEqual({
      vectors: [[0.1], [0.2]],
      inputTokens: 5,
    });
    expect(() => fromBedrockCohereEmbed({ nope: 1 }, req, 'aws', 5)).toThrow(
      expect.objectContaining({ status: 502 }),
    );
  });
});
