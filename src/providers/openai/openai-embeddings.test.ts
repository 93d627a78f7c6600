import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson, requestJson } from '../../../test/support/fixtures.js';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { decodeEmbeddingRequest } from '../../dialects/openai-embeddings/openai-embeddings-request.js';
import { openAIEmbeddingsBody, openAIEmbeddingsResult } from './openai-embeddings.js';

const recorded = (file: string) => loadCassette(`openai-embeddings/${file}`)[0]!;

function providerRequest(body: unknown, upstreamModel: string): ProviderEmbeddingRequest {
  return { ...decodeEmbeddingRequest(body), upstreamModel };
}

describe('OpenAI-wire embeddings', () => {
  it('forwards the client body with only the model replaced (recorded request)', () => {
    const body = requestJson(recorded('pydantic-ai-TestOpenAI.test_documents.yaml'));
    const forwarded = openAIEmbeddingsBody(
      providerRequest({ ...body, model: 'emb' }, 'text-embedding-3-small'),
    );
    expect(forwarded).toEqual(body);
  });

  it('leaves out Junction’s input_type, which the OpenAI wire has no field for', () => {
    const body = requestJson(recorded('pydantic-ai-TestOpenAI.test_documents.yaml'));
    const request = providerRequest(
      { ...body, model: 'emb', input_type: 'search_query' },
      'text-embedding-3-small',
    );
    expect(request.inputType).toBe('search_query');
    expect(openAIEmbeddingsBody(request)).toEqual(body);
  });

  it('keeps a single string input a string, sends redacted texts, and renames for the host', () => {
    const request = providerRequest({ model: 'a', input: 'secret', dimensions: 8 }, 'mistral-embed');
    const redacted = { ...request, input: { kind: 'text' as const, texts: ['[REDACTED]'] } };
    expect(openAIEmbeddingsBody(redacted, { dimensions: 'output_dimension' })).toEqual({
      model: 'mistral-embed',
      input: '[REDACTED]',
      output_dimension: 8,
    });
  });

  it('reads the recorded float answer (vercel) in index order with its usage', () => {
    const answer = loadJson('openai-embeddings/vercel-openai-embedding.json') as {
      data: Array<{ index: number; embedding: number[] }>;
    };
    const request = providerRequest({ model: 'm', input: ['a', 'b'] }, 'text-embedding-3-small');
    const reversed = { ...answer, data: [...answer.data].reverse() };
    const result = openAIEmbeddingsResult(reversed, request, 'openai');
    expect(result.vectors).toEqual([answer.data[0]!.embedding, answer.data[1]!.embedding]);
    expect(result).toMatchObject({ inputTokens: 12, model: 'text-embedding-3-small' });
  });

  it('keeps a recorded base64 answer as the upstream sent it', () => {
    const interaction = recorded('pydantic-ai-TestOpenAI.test_documents.yaml');
    const answer = interaction.response.parsed_body as { data: Array<{ index: number; embedding: string }> };
    const request = providerRequest(requestJson(interaction), 'text-embedding-3-small');
    const result = openAIEmbeddingsResult(answer, request, 'openai');
    expect(result.vectors).toEqual(answer.data.map((item) => item.embedding));
    expect(result.inputTokens).toBe(2);
  });

  it('refuses an answer with fewer vectors than inputs as a 502', () => {
    const request = providerRequest({ model: 'm', input: ['a', 'b'] }, 'x');
    expect(() => openAIEmbeddingsResult({ data: [{ embedding: [1] }] }, request, 'openai')).toThrow(
      expect.objectContaining({ status: 502, failureClass: 'transient' }),
    );
  });
});
