import { describe, expect, it } from 'vitest';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { parseMistralError } from './mistral-error.js';

// Bodies as Mistral sends them, quoted in public issue threads (see mistral-error.ts for the shapes).
describe('parseMistralError', () => {
  it.each([
    [
      400,
      {
        object: 'error',
        message: 'Assistant message must have either content or tool_calls, but not none.',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
      'invalid_request',
      'mistral: Assistant message must have either content or tool_calls, but not none.',
    ],
    [
      422,
      {
        detail: [
          {
            type: 'extra_forbidden',
            loc: ['body', 'store'],
            msg: 'Extra inputs are not permitted',
            input: false,
          },
          {
            type: 'extra_forbidden',
            loc: ['body', 'max_completion_tokens'],
            msg: 'Extra inputs are not permitted',
          },
        ],
      },
      'invalid_request',
      'mistral: body.store: Extra inputs are not permitted; body.max_completion_tokens: Extra inputs are not permitted',
    ],
    [
      422,
      {
        object: 'error',
        message: {
          detail: [{ type: 'float_type', loc: ['body', 'top_p'], msg: 'Input should be a valid number' }],
        },
        type: 'invalid_request_message_error',
        param: null,
        code: null,
      },
      'invalid_request',
      'mistral: body.top_p: Input should be a valid number',
    ],
    [401, { message: 'Unauthorized', request_id: 'abc' }, 'auth', 'mistral: Unauthorized'],
    [429, { message: 'Requests rate limit exceeded' }, 'rate_limit', 'mistral: Requests rate limit exceeded'],
    [
      404,
      { object: 'error', message: 'Invalid model: nope', type: 'invalid_model', code: '1500' },
      'not_found',
      'mistral: Invalid model: nope',
    ],
    [400, { error: { message: 'bad', type: 'invalid_request_error' } }, 'invalid_request', 'mistral: bad'],
  ])('HTTP %i %j -> %s', (status, body, failureClass, message) => {
    const error = upstreamErrorFromText('mistral', status, {}, JSON.stringify(body), parseMistralError);
    expect(error.failureClass).toBe(failureClass);
    expect(error.message).toBe(message);
  });

  it('keeps the code, and the type when there is no code', () => {
    expect(
      parseMistralError({ object: 'error', message: 'x', type: 'invalid_model', code: '1500' }).code,
    ).toBe('1500');
    expect(
      parseMistralError({ object: 'error', message: 'x', type: 'invalid_request_error', code: null }).code,
    ).toBe('invalid_request_error');
    expect(parseMistralError('nope')).toEqual({});
  });
});
