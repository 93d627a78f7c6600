import { describe, expect, it } from 'vitest';
import { loadCassette, responseText } from '../../../test/support/fixtures.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { cohereErrorParser, parseCohereError } from './cohere-error.js';

describe('Cohere error bodies', () => {
  it('the recorded 404 (unknown model) becomes not_found with Cohere message', () => {
    const interaction = loadCassette('cohere/pydantic-ai-TestCohere.test_embed_error.yaml')[0]!;
    const status = interaction.response.status.code;
    expect(status).toBe(404);
    const error = upstreamErrorFromText(
      'cohere',
      status,
      {},
      responseText(interaction),
      cohereErrorParser(status),
    );
    expect(error.failureClass).toBe('not_found');
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      "cohere: model 'nonexistent' not found, make sure the correct model ID was used and that you have access to the model.",
    );
  });

  it.each([
    [498, 'auth', 502],
    [499, 'transient', 499],
    [401, 'auth', 502],
    [429, 'rate_limit', 429],
    [400, 'invalid_request', 400],
    [503, 'overloaded', 503],
  ] as const)('HTTP %i -> %s (client status %i)', (status, failureClass, clientStatus) => {
    const error = upstreamErrorFromText(
      'cohere',
      status,
      {},
      JSON.stringify({ id: 'x', message: 'nope' }),
      cohereErrorParser(status),
    );
    expect(error.failureClass).toBe(failureClass);
    expect(error.status).toBe(clientStatus);
    expect(error.message).toBe('cohere: nope');
  });

  it('a body without a message string yields nothing', () => {
    expect(parseCohereError({ error: 'x' })).toEqual({});
    expect(parseCohereError('text')).toEqual({});
  });
});
