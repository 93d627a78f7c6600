import { describe, expect, it } from 'vitest';
import { loadCassette, responseText } from '../../../test/support/fixtures.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { parseAnthropicError } from './anthropic-error.js';

describe('parseAnthropicError', () => {
  it.each([
    ['invalid_request_error', 'invalid_request'],
    ['authentication_error', 'auth'],
    ['permission_error', 'permission'],
    ['not_found_error', 'not_found'],
    ['request_too_large', 'payload_too_large'],
    ['rate_limit_error', 'rate_limit'],
    ['billing_error', 'quota'],
    ['timeout_error', 'timeout'],
    ['api_error', 'transient'],
    ['overloaded_error', 'overloaded'],
  ])('%s → %s', (type, failureClass) => {
    expect(
      parseAnthropicError({ type: 'error', error: { type, message: 'm' }, request_id: 'req_1' }),
    ).toEqual({
      message: 'm',
      code: type,
      failureClass,
    });
  });

  it('an unknown error type names no class, so the HTTP status decides', () => {
    expect(parseAnthropicError({ type: 'error', error: { type: 'brand_new_error', message: 'x' } })).toEqual({
      message: 'x',
      code: 'brand_new_error',
    });
  });

  it.each([[null], ['text'], [{}], [{ error: 'flat string' }], [[1, 2]]])(
    'a body not in Anthropic shape (%o) yields {}',
    (body) => {
      expect(parseAnthropicError(body)).toEqual({});
    },
  );
});

describe('recorded Anthropic error answers', () => {
  it.each([
    [
      'pydantic-ai-anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml',
      400,
      'invalid_request',
      400,
    ],
    ['pydantic-ai-anthropic_count_tokens_error.yaml', 404, 'not_found', 404],
  ])('%s: HTTP %i → %s', (file, status, failureClass, clientStatus) => {
    const interaction = loadCassette(`anthropic-messages/${file}`).find(
      (item) => item.response.status.code === status,
    )!;
    const body = interaction.response.parsed_body as { error: { type: string; message: string } };
    const error = upstreamErrorFromText(
      'anthropic',
      status,
      {},
      responseText(interaction),
      parseAnthropicError,
    );
    expect(error.failureClass).toBe(failureClass);
    expect(error.status).toBe(clientStatus);
    expect(error.upstreamStatus).toBe(status);
    expect(error.code).toBe(body.error.type);
    expect(error.message).toBe(`anthropic: ${body.error.message}`);
    expect(error.retryable).toBe(false);
  });

  it('an overloaded body on 529 is retryable and keeps 529', () => {
    const text = JSON.stringify({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const error = upstreamErrorFromText('anthropic', 529, {}, text, parseAnthropicError);
    expect(error.failureClass).toBe('overloaded');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(529);
  });
});
