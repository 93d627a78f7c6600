import { describe, expect, it } from 'vitest';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { parseOllamaError } from './ollama-error.js';

describe('parseOllamaError', () => {
  it('an unknown model (404) is not_found with Ollama message', () => {
    const body = JSON.stringify({ error: 'model "llama9" not found, try pulling it first' });
    const error = upstreamErrorFromText('ollama', 404, {}, body, parseOllamaError);
    expect(error.failureClass).toBe('not_found');
    expect(error.status).toBe(404);
    expect(error.message).toBe('ollama: model "llama9" not found, try pulling it first');
  });

  it.each([
    [400, 'invalid_request'],
    [500, 'transient'],
    [503, 'overloaded'],
  ] as const)('HTTP %i -> %s', (status, failureClass) => {
    const error = upstreamErrorFromText('ollama', status, {}, '{"error":"x"}', parseOllamaError);
    expect(error.failureClass).toBe(failureClass);
    expect(error.message).toBe('ollama: x');
  });

  it('ignores bodies that are not {error: string}', () => {
    expect(parseOllamaError({ error: { message: 'x' } })).toEqual({});
    expect(parseOllamaError(null)).toEqual({});
  });
});
