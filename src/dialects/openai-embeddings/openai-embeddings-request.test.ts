import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import { GatewayError } from '../../core/errors.js';
import { decodeEmbeddingRequest } from './openai-embeddings-request.js';

function refusal(body: unknown): GatewayError {
  try {
    decodeEmbeddingRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decodeEmbeddingRequest', () => {
  it('reads a recorded OpenAI SDK request', () => {
    const body = requestJson(
      loadCassette('openai-embeddings/pydantic-ai-TestOpenAI.test_documents.yaml')[0]!,
    );
    expect(decodeEmbeddingRequest(body)).toEqual({
      model: 'text-embedding-3-small',
      input: { kind: 'text', texts: ['hello', 'world'] },
      encodingFormat: 'base64',
      body,
    });
  });

  it.each([
    ['a string', 'hi', { kind: 'text', texts: ['hi'] }],
    ['strings', ['a', 'b'], { kind: 'text', texts: ['a', 'b'] }],
    ['one token array', [1, 2], { kind: 'tokens', tokens: [[1, 2]] }],
    ['token arrays', [[1], [2, 3]], { kind: 'tokens', tokens: [[1], [2, 3]] }],
  ])('takes %s', (_, input, expected) => {
    const decoded = decodeEmbeddingRequest({ model: 'm', input, dimensions: 256, user: 'u' });
    expect(decoded.input).toEqual(expected);
    expect(decoded).toMatchObject({ encodingFormat: 'float', dimensions: 256, user: 'u' });
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: '' }, 'input'],
    [{ model: 'm', input: [] }, 'input'],
    [{ model: 'm', input: ['a', ''] }, 'input[1]'],
    [{ model: 'm', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
    [{ model: 'm', input: 'x', dimensions: 0 }, 'dimensions'],
    [{ model: 'm', input: 'x', dimensions: 1.5 }, 'dimensions'],
    [{ model: 'm', input: 'x', input_type: 'query' }, 'input_type'],
    [{ model: 'm', input: 'x', input_type: 'image' }, 'input_type'],
    [{ model: 'm', input: 'x', input_type: 'RETRIEVAL_QUERY' }, 'input_type'],
    [{ model: 'm', input: 'x', input_type: null }, 'input_type'],
    [{ model: 'm', input: 'x', task_type: 'RETRIEVAL_QUERY' }, ''],
  ])('refuses %j naming the field', (body, param) => {
    const error = refusal(body);
    expect(error).toMatchObject({ status: 400, failureClass: 'invalid_request' });
    if (param !== '') expect(error.param).toBe(param);
    else expect(error.message).toContain('task_type');
  });

  it('names the input_type values it takes', () => {
    expect(refusal({ model: 'm', input: 'x', input_type: 'query' }).message).toBe(
      'Invalid request body: input_type: must be one of search_document, search_query, classification, clustering',
    );
  });

  it.each(['search_document', 'search_query', 'classification', 'clustering'])(
    'takes the input_type extension %s',
    (inputType) => {
      expect(decodeEmbeddingRequest({ model: 'm', input: 'x', input_type: inputType })).toMatchObject({
        inputType,
      });
    },
  );
});
