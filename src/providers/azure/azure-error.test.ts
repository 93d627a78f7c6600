import { describe, expect, it } from 'vitest';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { parseAzureOpenAIError } from './azure-error.js';

/** Azure's documented prompt-filter refusal (HTTP 400). */
const CONTENT_FILTER = {
  error: {
    message:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
    type: null,
    param: 'prompt',
    code: 'content_filter',
    status: 400,
    innererror: {
      code: 'ResponsibleAIPolicyViolation',
      content_filter_result: {
        hate: { filtered: false, severity: 'safe' },
        jailbreak: { filtered: false, detected: false },
        self_harm: { filtered: false, severity: 'safe' },
        sexual: { filtered: true, severity: 'medium' },
        violence: { filtered: false, severity: 'safe' },
      },
    },
  },
};

describe('parseAzureOpenAIError', () => {
  it.each([
    ['content filter with innererror', CONTENT_FILTER, 'content_filter', 'content_filter'],
    [
      'innererror alone marks a content filter',
      {
        error: {
          message: 'filtered',
          code: 'BadRequest',
          innererror: { code: 'ResponsibleAIPolicyViolation' },
        },
      },
      'content_filter',
      'BadRequest',
    ],
    [
      'missing deployment',
      {
        error: {
          code: 'DeploymentNotFound',
          message: 'The API deployment for this resource does not exist.',
        },
      },
      'not_found',
      'DeploymentNotFound',
    ],
    [
      'a status code in `code` leaves the class to the HTTP status',
      { error: { code: '429', message: 'Requests have exceeded the call rate limit.' } },
      undefined,
      '429',
    ],
  ])('%s', (_name, body, failureClass, code) => {
    const parsed = parseAzureOpenAIError(body);
    expect(parsed.failureClass).toBe(failureClass);
    expect(parsed.code).toBe(code);
  });

  it('keeps the message and param of the OpenAI envelope', () => {
    expect(parseAzureOpenAIError(CONTENT_FILTER)).toEqual({
      message: CONTENT_FILTER.error.message,
      failureClass: 'content_filter',
      code: 'content_filter',
      param: 'prompt',
    });
  });

  it('never throws on a body that is not Azure-shaped', () => {
    expect(parseAzureOpenAIError('oops')).toEqual({});
    expect(parseAzureOpenAIError({ error: 'nope' })).toEqual({});
  });

  it('a content filter 400 becomes a non-retryable content_filter GatewayError with status 400', () => {
    const error = upstreamErrorFromText(
      'azure',
      400,
      {},
      JSON.stringify(CONTENT_FILTER),
      parseAzureOpenAIError,
    );
    expect(error).toMatchObject({
      failureClass: 'content_filter',
      status: 400,
      retryable: false,
      code: 'content_filter',
      param: 'prompt',
    });
  });
});
