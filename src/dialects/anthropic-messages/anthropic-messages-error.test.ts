import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../../test/support/fixtures.js';
import type { FailureClass } from '../../core/errors.js';
import { GatewayError } from '../../core/errors.js';
import type { RenderedError } from '../dialect.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
import { renderAnthropicError } from './anthropic-messages-error.js';

describe('renderAnthropicError', () => {
  it('names the field in the message, as the envelope has no param (unless the message already does)', () => {
    const message = (error: GatewayError): string =>
      (renderAnthropicError(error).body as { error: { message: string } }).error.message;
    expect(
      message(
        new GatewayError('unsupported', 'file URLs are not supported', { param: 'messages[1].content[2]' }),
      ),
    ).toBe('messages[1].content[2]: file URLs are not supported');
    expect(
      message(
        new GatewayError('invalid_request', 'messages[0].content: bad', { param: 'messages[0].content' }),
      ),
    ).toBe('messages[0].content: bad');
    // An upstream's param names its own wire request's field, not one the client sent.
    expect(
      message(new GatewayError('invalid_request', 'bad', { param: 'messages[3]', upstreamStatus: 400 })),
    ).toBe('bad');
  });

  it.each([
    ['auth', 401, 'authentication_error'],
    ['permission', 403, 'permission_error'],
    ['not_found', 404, 'not_found_error'],
    ['payload_too_large', 413, 'request_too_large'],
    ['rate_limit', 429, 'rate_limit_error'],
    ['quota', 429, 'rate_limit_error'],
    ['overloaded', 529, 'overloaded_error'],
    ['invalid_request', 400, 'invalid_request_error'],
    ['unsupported', 400, 'invalid_request_error'],
    ['content_filter', 400, 'invalid_request_error'],
    ['timeout', 504, 'timeout_error'],
    ['transient', 500, 'api_error'],
    ['network', 500, 'api_error'],
    ['internal', 500, 'api_error'],
  ] as Array<[FailureClass, number, string]>)('%s -> %i %s', (failureClass, status, type) => {
    const rendered = renderAnthropicError(new GatewayError(failureClass, 'boom'), 'req_1');
    expect(rendered.status).toBe(status);
    expect(rendered.body).toEqual({ type: 'error', error: { type, message: 'boom' }, request_id: 'req_1' });
  });

  it('renders overloaded as 529 even when the upstream said 503, and keeps other 4xx statuses', () => {
    expect(renderAnthropicError(new GatewayError('overloaded', 'busy', { status: 503 })).status).toBe(529);
    expect(
      renderAnthropicError(new GatewayError('invalid_request', 'conflict', { status: 409 })).status,
    ).toBe(409);
  });

  it('matches the shape of a recorded Anthropic error body (count_tokens 404)', () => {
    const [interaction] = loadCassette('anthropic-messages/pydantic-ai-anthropic_count_tokens_error.yaml');
    const recorded = interaction!.response.parsed_body as { error: { message: string }; request_id: string };
    const rendered = renderAnthropicError(
      new GatewayError('not_found', recorded.error.message),
      recorded.request_id,
    );
    expect(rendered.status).toBe(interaction!.response.status.code);
    expect(rendered.body).toEqual(recorded);
  });

  it('sends retry hints: retry-after, retry-after-ms and x-should-retry', () => {
    expect(
      renderAnthropicError(new GatewayError('rate_limit', 'slow', { retryAfterMs: 2500 })).headers,
    ).toEqual({
      'retry-after': '3',
      'retry-after-ms': '2500',
      'x-should-retry': 'true',
    });
    expect(renderAnthropicError(new GatewayError('quota', 'spent')).headers).toEqual({
      'x-should-retry': 'false',
    });
  });

  it('leaves request_id out when the caller has none (Dialect.renderError)', () => {
    expect(anthropicMessagesDialect.renderError(new GatewayError('auth', 'no key')).body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'no key' },
    });
  });
});

describe('the official Anthropic SDK reading rendered errors', () => {
  async function call(rendered: RenderedError, maxRetries = 0): Promise<{ error: unknown; calls: number }> {
    let calls = 0;
    const client = new Anthropic({
      apiKey: 'test',
      maxRetries,
      fetch: async () => {
        calls += 1;
        return new Response(JSON.stringify(rendered.body), {
          status: rendered.status,
          headers: { 'content-type': 'application/json', ...rendered.headers },
        });
      },
    });
    const error = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    return { error, calls };
  }

  it.each([
    ['auth', Anthropic.AuthenticationError],
    ['permission', Anthropic.PermissionDeniedError],
    ['not_found', Anthropic.NotFoundError],
    ['rate_limit', Anthropic.RateLimitError],
    ['invalid_request', Anthropic.BadRequestError],
    ['overloaded', Anthropic.InternalServerError],
  ] as Array<[FailureClass, typeof Anthropic.APIError]>)('%s raises %o', async (failureClass, errorClass) => {
    const { error } = await call(renderAnthropicError(new GatewayError(failureClass, 'nope'), 'req_9'));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      request_id: 'req_9',
    });
  });

  it('a 404 refusal that is not a not_found class (an unknown route) is still not_found_error', () => {
    const rendered = renderAnthropicError(
      new GatewayError('invalid_request', 'Invalid URL (GET /v1/messages/x)', { status: 404 }),
    );
    expect(rendered.status).toBe(404);
    expect(rendered.body).toMatchObject({ error: { type: 'not_found_error' } });
  });

  it('retries a rate limit after retry-after-ms, but not a spent quota', async () => {
    const limited = await call(
      renderAnthropicError(new GatewayError('rate_limit', 'slow', { retryAfterMs: 5 })),
      2,
    );
    expect(limited.calls).toBe(3);
    const spent = await call(renderAnthropicError(new GatewayError('quota', 'spent')), 2);
    expect(spent.calls).toBe(1);
  });
});
