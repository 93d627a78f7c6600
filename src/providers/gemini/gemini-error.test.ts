import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, loadCassette, responseText } from '../../../test/support/fixtures.js';
import {
  geminiErrorFromText,
  geminiRetryDelayMs,
  geminiStreamError,
  parseDuration,
  parseGeminiError,
} from './gemini-error.js';

const retryInfoText = readFileSync(fixturePath('gemini/vercel-google-429-retry-info.json'), 'utf8');

describe('Gemini 429 with RetryInfo (vercel-google-429-retry-info.json)', () => {
  it('is a retryable rate_limit with the RetryInfo delay as retryAfterMs', () => {
    const error = geminiErrorFromText('gemini', 429, {}, retryInfoText);
    expect(error.failureClass).toBe('rate_limit');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(34_400);
    expect(error.code).toBe('RESOURCE_EXHAUSTED');
    expect(error.message).toBe('gemini: You exceeded your current quota, please check your plan.');
    expect(error.provider).toBe('gemini');
    expect(error.upstreamStatus).toBe(429);
  });

  it('a Retry-After header wins over the body delay', () => {
    const error = geminiErrorFromText('gemini', 429, { 'retry-after': '3' }, retryInfoText);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('reads the delay from the parsed body', () => {
    expect(geminiRetryDelayMs(JSON.parse(retryInfoText))).toBe(34_400);
    expect(geminiRetryDelayMs({ error: { code: 429, details: [] } })).toBeUndefined();
  });
});

describe('Vertex 400 INVALID_ARGUMENT (pydantic-ai-vertex-400_invalid_argument_url_fetch.yaml)', () => {
  it('is a non-retryable invalid_request keeping the upstream status and message', () => {
    const interaction = loadCassette('gemini/pydantic-ai-vertex-400_invalid_argument_url_fetch.yaml').find(
      (i) => i.response.status.code === 400,
    );
    expect(interaction).toBeDefined();
    const error = geminiErrorFromText('vertex', 400, {}, responseText(interaction!));
    expect(error.failureClass).toBe('invalid_request');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(
      /^vertex: Cannot fetch content from the provided URL\..*URL_ROBOTED-ROBOTED_DENIED$/,
    );
    expect(error.retryAfterMs).toBeUndefined();
  });
});

describe('parseGeminiError status table', () => {
  it.each([
    ['RESOURCE_EXHAUSTED', 'rate_limit'],
    ['UNAVAILABLE', 'overloaded'],
    ['INVALID_ARGUMENT', 'invalid_request'],
    ['FAILED_PRECONDITION', 'invalid_request'],
    ['PERMISSION_DENIED', 'permission'],
    ['UNAUTHENTICATED', 'auth'],
    ['NOT_FOUND', 'not_found'],
    ['DEADLINE_EXCEEDED', 'timeout'],
    ['INTERNAL', 'transient'],
  ])('%s -> %s', (status, failureClass) => {
    expect(parseGeminiError({ error: { code: 400, message: 'm', status } })).toEqual({
      message: 'm',
      code: status,
      failureClass,
    });
  });

  it('an unknown status leaves the class to the HTTP status', () => {
    const error = geminiErrorFromText(
      'gemini',
      500,
      {},
      JSON.stringify({ error: { code: 500, message: 'x', status: 'NEW_THING' } }),
    );
    expect(error.failureClass).toBe('transient');
  });

  it('reads the array-wrapped body of the non-SSE stream endpoint', () => {
    expect(
      parseGeminiError([{ error: { code: 404, message: 'models/x is not found', status: 'NOT_FOUND' } }]),
    ).toEqual({
      message: 'models/x is not found',
      code: 'NOT_FOUND',
      failureClass: 'not_found',
    });
  });

  it('a rejected key is the gateway misconfiguration (502) and the key is redacted from the body', () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'API key not valid: AIzaSyA1234567890abcdefghijklmno',
        status: 'UNAUTHENTICATED',
      },
    });
    const error = geminiErrorFromText('gemini', 401, {}, body);
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('AIzaSyA1234567890');
    expect(error.upstreamBody).not.toContain('AIzaSyA1234567890');
  });

  it('an in-stream error uses its own code as the status', () => {
    const error = geminiStreamError('gemini', {
      error: { code: 500, message: 'Internal error', status: 'INTERNAL' },
    });
    expect(error).toMatchObject({ failureClass: 'transient', upstreamStatus: 500, retryable: true });
  });
});

describe('parseDuration', () => {
  it.each([
    ['34.4s', 34_400],
    ['12s', 12_000],
    ['0.5s', 500],
    ['0.0001s', 1],
    ['soon', undefined],
    ['12', undefined],
  ])('%s -> %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
