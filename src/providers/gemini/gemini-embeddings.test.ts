import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import {
  fromGeminiBatchEmbed,
  geminiBatchEmbedAnswer,
  geminiTakesDimensions,
  toGeminiBatchEmbed,
} from './gemini-embeddings.js';

function request(texts: string[], dimensions?: number): ProviderEmbeddingRequest {
  return {
    model: 'emb',
    upstreamModel: 'gemini-embedding-001',
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    ...(dimensions !== undefined ? { dimensions } : {}),
    body: {},
  };
}

describe('Gemini batchEmbedContents', () => {
  it('builds the recorded request (one request per text, models/ prefix): search_query is RETRIEVAL_QUERY', () => {
    const recorded = requestJson(loadCassette('gemini/pydantic-ai-TestGoogle.test_embed_error.yaml')[0]!) as {
      requests: Array<Record<string, unknown>>;
    };
    const asked = { ...request(['Hello, world!']), upstreamModel: 'nonexistent-model' };
    expect(toGeminiBatchEmbed({ ...asked, inputType: 'search_query' })).toEqual(recorded);
    // No input type: taskType is left out (the model's default), not guessed.
    const { taskType: _taskType, ...withoutTaskType } = recorded.requests[0]!;
    expect(toGeminiBatchEmbed(asked)).toEqual({ requests: [withoutTaskType] });
  });

  it.each([
    ['search_document', 'RETRIEVAL_DOCUMENT'],
    ['search_query', 'RETRIEVAL_QUERY'],
    ['classification', 'CLASSIFICATION'],
    ['clustering', 'CLUSTERING'],
  ] as const)('maps input_type %s to taskType %s on every request', (inputType, taskType) => {
    const built = toGeminiBatchEmbed({ ...request(['a', 'b']), inputType }) as {
      requests: Array<Record<string, unknown>>;
    };
    expect(built.requests.map((entry) => entry.taskType)).toEqual([taskType, taskType]);
  });

  it('maps dimensions to outputDimensionality', () => {
    expect(toGeminiBatchEmbed(request(['a', 'b'], 768))).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'a' }] },
          outputDimensionality: 768,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'b' }] },
          outputDimensionality: 768,
        },
      ],
    });
    expect(geminiTakesDimensions('gemini-embedding-001')).toBe(true);
    expect(geminiTakesDimensions('models/embedding-001')).toBe(false);
  });

  it('reads the documented answer, estimating usage Gemini does not report', () => {
    const answer = geminiBatchEmbedAnswer.parse({
      embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }],
    });
    expect(fromGeminiBatchEmbed(answer, request(['abcdefgh', 'abcd']), 'gemini')).toEqual({
      vectors: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      inputTokens: 3,
    });
  });

  it('refuses an answer with a missing vector', () => {
    const answer = geminiBatchEmbedAnswer.parse({ embeddings: [{ values: [0.1] }] });
    expect(() => fromGeminiBatchEmbed(answer, request(['a', 'b']), 'gemini')).toThrow(
      /expected 2 embeddings/,
    );
  });
});
