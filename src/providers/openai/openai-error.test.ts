import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson } from '../../../test/support/fixtures.js';
import type { FailureClass } from '../../core/errors.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { inBandErrorStatus, parseOpenAIError } from './openai-error.js';

interface ErrorCase {
  name: string;
  status: number;
  body: unknown;
  parsedClass: FailureClass | undefined;
  finalClass: FailureClass;
  code?: string;
  param?: string;
  message: string;
}

function cassetteError(file: string, interaction = 0): { status: number; body: unknown } {
  const recorded = loadCassette(file)[interaction]!;
  return { status: recorded.response.status.code, body: recorded.response.parsed_body };
}

const cases: ErrorCase[] = [
  {
    name: 'OpenAI 400 unsupported developer role',
    ...cassetteError('openai-chat/pydantic-ai-openai_o1_mini_system_role-developer.yaml'),
    parsedClass: 'invalid_request',
    finalClass: 'invalid_request',
    code: 'unsupported_value',
    param: 'messages[0].role',
    message: "Unsupported value: 'messages[0].role' does not support 'developer' with this model.",
  },
  {
    // OpenRouter puts the HTTP status in `code`: no class from the body, the 429 status decides.
    name: 'OpenRouter 429 provider rate limit',
    ...cassetteError('openai-chat/pydantic-ai-openrouter_errors_raised.yaml'),
    parsedClass: undefined,
    finalClass: 'rate_limit',
    message:
      'Provider returned error: google/gemini-2.0-flash-exp:free is temporarily rate-limited upstream.',
  },
  {
    // The status is not recorded; OpenAI sends insufficient_quota with 429, which alone would read as rate_limit.
    name: 'OpenAI insufficient_quota',
    status: 429,
    body: loadJson('openai-responses/vercel-openai-error.1.json'),
    parsedClass: 'quota',
    finalClass: 'quota',
    code: 'insufficient_quota',
    message: 'You exceeded your current quota',
  },
  {
    name: 'OpenAI unsupported parameter',
    status: 400,
    body: loadJson('openai-chat/vercel-openai-reasoning-model-legacy-parameter-error.json'),
    parsedClass: 'invalid_request',
    finalClass: 'invalid_request',
    code: 'unsupported_parameter',
    param: 'max_tokens',
    message: "Unsupported parameter: 'max_tokens' is not supported with this model.",
  },
  {
    name: 'OpenAI 404 model_not_found (code beats type invalid_request_error)',
    ...cassetteError('openai-embeddings/pydantic-ai-TestOpenAI.test_embed_error.yaml'),
    parsedClass: 'not_found',
    finalClass: 'not_found',
    code: 'model_not_found',
    message: 'The model `nonexistent` does not exist',
  },
  {
    name: 'Groq 400 tool_use_failed',
    ...cassetteError('openai-chat/pydantic-ai-groq-tool_use_failed_error.yaml'),
    parsedClass: 'invalid_request',
    finalClass: 'invalid_request',
    code: 'tool_use_failed',
    message: 'Tool call validation failed',
  },
];

describe('parseOpenAIError on recorded error bodies', () => {
  it.each(cases)('$name', (c) => {
    const parsed = parseOpenAIError(c.body);
    expect(parsed.failureClass).toBe(c.parsedClass);
    expect(parsed.code).toBe(c.code);
    expect(parsed.param).toBe(c.param);
    expect(parsed.message).toContain(c.message);

    const error = upstreamErrorFromText('openai', c.status, {}, JSON.stringify(c.body), parseOpenAIError);
    expect(error.failureClass).toBe(c.finalClass);
    expect(error.upstreamStatus).toBe(c.status);
    expect(error.message).toContain(c.message);
  });

  it.each([
    [{ error: { message: 'x', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate_limit'],
    [{ error: { message: 'x', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'auth'],
    [
      { error: { message: 'x', type: 'invalid_request_error', code: 'content_policy_violation' } },
      'content_filter',
    ],
    [{ error: { message: 'x', type: 'server_error', code: null } }, 'transient'],
    [{ error: { message: 'x', type: 'something_new' } }, undefined],
    [{ detail: 'not an OpenAI envelope' }, undefined],
  ] as const)('classifies %j as %s', (body, expected) => {
    expect(parseOpenAIError(body).failureClass).toBe(expected);
  });

  it('reads the status carried inside a stream error object', () => {
    expect(inBandErrorStatus({ error: { code: 400, message: 'Token limit reached' } })).toBe(400);
    expect(inBandErrorStatus({ error: { code: 'tool_use_failed', status_code: 400 } })).toBe(400);
  });

  it.each([
    [{ error: { code: 'server_error' } }, 500],
    [{ error: { type: 'server_error', code: null } }, 500],
    [{ error: { type: 'requests', code: 'rate_limit_exceeded' } }, 429],
    [{ error: { type: 'insufficient_quota', code: 'insufficient_quota' } }, 429],
    [{ error: { type: 'invalid_request_error', code: 'model_not_found' } }, 404],
    [{ error: { code: 'invalid_image_url' } }, 400],
    [{ error: { code: 'vector_store_timeout' } }, 504],
    [{ error: { type: 'something_new', code: 'ERR_SOMETHING' } }, undefined],
  ] as const)('an in-band %j without a status stands for %s', (body, status) => {
    expect(inBandErrorStatus(body)).toBe(status);
  });
});
