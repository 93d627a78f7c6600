import { describe, expect, it } from 'vitest';
import { loadJson } from '../../../test/support/fixtures.js';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { PER_TEXT_PARALLEL_CALLS } from '../shared/embed-in-batches.js';
import {
  fromVertexPredict,
  requireVertexEmbeddingModel,
  toVertexPredict,
  VERTEX_MAX_INSTANCES,
  vertexBatchLimits,
  vertexPredictAnswer,
  vertexTakesDimensions,
} from './vertex-embeddings.js';

const RECORDED = loadJson('gemini/vercel-google-vertex-embedding.json');

function request(texts: string[], fields: Partial<ProviderEmbeddingRequest> = {}): ProviderEmbeddingRequest {
  return {
    model: 'emb',
    upstreamModel: 'text-embedding-005',
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    body: {},
    ...fields,
  };
}

describe('Vertex AI predict embeddings', () => {
  it('sends one instance per text; input_type as task_type, dimensions as outputDimensionality', () => {
    expect(toVertexPredict(request(['a', 'b']))).toEqual({ instances: [{ content: 'a' }, { content: 'b' }] });
    expect(toVertexPredict(request(['a'], { inputType: 'search_document', dimensions: 256 }))).toEqual({
      instances: [{ content: 'a', task_type: 'RETRIEVAL_DOCUMENT' }],
      parameters: { outputDimensionality: 256 },
    });
    expect(toVertexPredict(request(['a'], { inputType: 'clustering' }))).toMatchObject({
      instances: [{ task_type: 'CLUSTERING' }],
    });
  });

  it('reads the recorded answer: vectors in order, token counts summed', () => {
    const answer = vertexPredictAnswer.parse(RECORDED);
    const result = fromVertexPredict(
      answer,
      request(['sunny day at the beach', 'rainy day in the city']),
      'vtx',
    );
    expect(result.inputTokens).toBe(11);
    expect(result.vectors).toHaveLength(2);
    expect(result.vectors[0]).toEqual([
      -0.017999587580561638, -0.006893285550177097, -0.036766719073057175, -0.017558680847287178,
      -0.019938766956329346,
    ]);
  });

  it('estimates the tokens when a prediction has no count, and refuses a short answer as a 502', () => {
    const answer = vertexPredictAnswer.parse({ predictions: [{ embeddings: { values: [1] } }] });
    expect(fromVertexPredict(answer, request(['abcdefgh']), 'vtx')).toEqual({
      vectors: [[1]],
      inputTokens: 2,
    });
    expect(() => fromVertexPredict(answer, request(['a', 'b']), 'vtx')).toThrow(
      expect.objectContaining({ status: 502, provider: 'vtx' }),
    );
  });

  it('splits at 250 instances, and at one for gemini-embedding-001', () => {
    expect(vertexBatchLimits('text-embedding-005')).toEqual({ size: VERTEX_MAX_INSTANCES });
    expect(VERTEX_MAX_INSTANCES).toBe(250);
    expect(vertexBatchLimits('gemini-embedding-001')).toEqual({ size: 1, parallel: PER_TEXT_PARALLEL_CALLS });
  });

  it('knows which models shorten their vectors, and refuses Claude models naming the model', () => {
    expect(vertexTakesDimensions('text-embedding-005')).toBe(true);
    expect(vertexTakesDimensions('gemini-embedding-001')).toBe(true);
    expect(vertexTakesDimensions('textembedding-gecko@003')).toBe(false);
    expect(() => requireVertexEmbeddingModel('text-multilingual-embedding-002', 'vtx')).not.toThrow();
    expect(() => requireVertexEmbeddingModel('claude-sonnet-4@20250514', 'vtx')).toThrow(
      expect.objectContaining({ status: 400, param: 'model' }),
    );
  });
});
