import { describe, expect, it } from 'vitest';
import { loadCassette, responseText } from '../../../test/support/fixtures.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { parseVertexAnthropicError } from './vertex-error.js';

describe('parseVertexAnthropicError', () => {
  it("reads Anthropic's own error body", () => {
    expect(
      parseVertexAnthropicError({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      }),
    ).toEqual({ message: 'Overloaded', code: 'overloaded_error', failureClass: 'overloaded' });
  });

  it("reads Google's RPC status when Vertex itself refuses (the recorded vertex 400)", () => {
    const interaction = loadCassette('gemini/pydantic-ai-vertex-400_invalid_argument_url_fetch.yaml').find(
      (i) => i.response.status.code === 400,
    )!;
    const parsed = parseVertexAnthropicError(JSON.parse(responseText(interaction)));
    expect(parsed.failureClass).toBe('invalid_request');
    expect(parsed.code).toBe('INVALID_ARGUMENT');
    expect(parsed.message).toMatch(/^Cannot fetch content from the provided URL\./);
  });

  it.each([
    ['RESOURCE_EXHAUSTED', 429, 'rate_limit'],
    ['PERMISSION_DENIED', 403, 'permission'],
    ['NOT_FOUND', 404, 'not_found'],
  ])('Google status %s -> %s class', (status, code, failureClass) => {
    const body = { error: { code, message: `Vertex says ${status}`, status } };
    const error = upstreamErrorFromText('vertex', code, {}, JSON.stringify(body), parseVertexAnthropicError);
    expect(error.failureClass).toBe(failureClass);
    expect(error.message).toBe(`vertex: Vertex says ${status}`);
  });

  it('never throws on other bodies', () => {
    expect(parseVertexAnthropicError('nope')).toEqual({});
    expect(parseVertexAnthropicError([{ error: { code: 500, status: 'INTERNAL', message: 'x' } }])).toEqual({
      message: 'x',
      code: 'INTERNAL',
      failureClass: 'transient',
    });
  });
});
