import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../../test/support/fixtures.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';
import {
  bedrockExceptionName,
  bedrockFailureClass,
  bedrockHttpError,
  bedrockStreamException,
  parseBedrockError,
} from './bedrock-error.js';

function response(status: number, body: string, headers: Record<string, string> = {}): UpstreamResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    // Only .text() is read from an error body.
    body: { text: async () => body } as unknown as UpstreamResponse['body'],
  };
}

describe('bedrockExceptionName / bedrockFailureClass', () => {
  it.each([
    ['ValidationException', 'ValidationException'],
    ['ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'ValidationException'],
    ['com.amazon.coral.service#AccessDeniedException', 'AccessDeniedException'],
    ['throttlingException', 'throttlingException'],
  ])('%s -> %s', (raw, name) => {
    expect(bedrockExceptionName(raw)).toBe(name);
  });

  it.each([
    ['throttlingException', 'rate_limit'],
    ['ThrottlingException', 'rate_limit'],
    ['serviceUnavailableException', 'overloaded'],
    ['validationException', 'invalid_request'],
    ['modelStreamErrorException', 'transient'],
    ['internalServerException', 'transient'],
    ['accessDeniedException', 'permission'],
    ['ModelTimeoutException', 'timeout'],
    ['ServiceQuotaExceededException', 'quota'],
    ['ResourceNotFoundException', 'not_found'],
    ['UnrecognizedClientException', 'auth'],
    ['ExpiredTokenException', 'auth'],
  ] as const)('%s is %s', (name, failureClass) => {
    expect(bedrockFailureClass(name)).toBe(failureClass);
  });

  it('knows nothing of a name it has never seen', () => {
    expect(bedrockFailureClass('BrandNewException')).toBeUndefined();
  });
});

describe('Bedrock HTTP errors on recorded bodies', () => {
  const invalidModel = loadCassette('bedrock-converse/pydantic-ai-bedrock_streaming_error.yaml')[0]!;
  const videoBlock = loadCassette(
    'bedrock-converse/pydantic-ai-bedrock-400_unsupported_video_block.yaml',
  )[1]!;

  it('reads the message of the recorded 400 (invalid model id on converse-stream)', async () => {
    const text = JSON.stringify(invalidModel.response.parsed_body);
    const error = await bedrockHttpError('aws', response(invalidModel.response.status.code, text));
    expect(error.failureClass).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe('aws: The provided model identifier is invalid.');
    expect(error.provider).toBe('aws');
    expect(error.upstreamStatus).toBe(400);
  });

  it('takes the exception name from x-amzn-errortype (filtered from the cassettes, sent by AWS)', async () => {
    const text = JSON.stringify(videoBlock.response.parsed_body);
    const error = await bedrockHttpError(
      'aws',
      response(400, text, {
        'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      }),
    );
    expect(error.code).toBe('ValidationException');
    expect(error.message).toBe(
      "aws: This model doesn't support the video content block that you provided. Update the content block and try again.",
    );
  });

  it('classifies throttling and keeps Retry-After', async () => {
    const text = '{"message":"Too many requests, please wait before trying again."}';
    const error = await bedrockHttpError(
      'aws',
      response(429, text, { 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '3' }),
    );
    expect(error.failureClass).toBe('rate_limit');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('hides a refused AWS identity behind 502', async () => {
    const text = '{"Message":"The security token included in the request is invalid."}';
    const error = await bedrockHttpError(
      'aws',
      response(403, text, { 'x-amzn-errortype': 'UnrecognizedClientException' }),
    );
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).toBe('aws: The security token included in the request is invalid.');
  });

  it('parses a __type body without a header', () => {
    expect(parseBedrockError({ __type: 'com.amazon#ServiceUnavailableException', message: 'busy' })).toEqual({
      message: 'busy',
      code: 'ServiceUnavailableException',
      failureClass: 'overloaded',
    });
    expect(parseBedrockError('not an object')).toEqual({});
  });
});

describe('bedrockStreamException', () => {
  it('classifies an exception frame and keeps its message', () => {
    const error = bedrockStreamException(
      'aws',
      'modelStreamErrorException',
      '{"message":"Model stream broke"}',
    );
    expect(error.failureClass).toBe('transient');
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('modelStreamErrorException');
    expect(error.message).toBe('aws: Model stream broke');
  });

  it('falls back to transient and the exception name for an unknown exception without JSON', () => {
    const error = bedrockStreamException('aws', 'weirdException', 'not json');
    expect(error.failureClass).toBe('transient');
    expect(error.message).toBe('aws: weirdException');
  });
});
