/**
 * Reads the OpenAI error envelope `{error: {message, type, code, param}}`, also used (loosely) by
 * OpenAI-compatible servers: OpenRouter puts an HTTP status number in `code` and details in
 * `metadata.raw`; Groq adds `status_code` and `failed_generation`.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

const openAIErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string().nullish(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    param: z.string().nullish(),
    metadata: z.looseObject({ raw: z.unknown().optional() }).nullish(),
  }),
});

/** Codes and types whose meaning is clearer than the HTTP status (OpenAI sends quota errors as 429 too). */
const CLASS_BY_CODE: Record<string, FailureClass> = {
  insufficient_quota: 'quota',
  rate_limit_exceeded: 'rate_limit',
  invalid_api_key: 'auth',
  model_not_found: 'not_found',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  server_error: 'transient',
};

const CLASS_BY_TYPE: Record<string, FailureClass> = {
  ...CLASS_BY_CODE,
  invalid_request_error: 'invalid_request',
};

const MAX_RAW_DETAIL = 500;

export function parseOpenAIError(body: unknown): ParsedUpstreamError {
  const parsed = openAIErrorSchema.safeParse(body);
  if (!parsed.success) return {};
  const { message, type, code, param, metadata } = parsed.data.error;
  const codeText = typeof code === 'string' ? code : undefined;
  // The code is more specific than the type (e.g. type invalid_request_error with code model_not_found).
  const failureClass = (codeText && CLASS_BY_CODE[codeText]) || (type ? CLASS_BY_TYPE[type] : undefined);
  const raw = typeof metadata?.raw === 'string' ? metadata.raw.slice(0, MAX_RAW_DETAIL) : undefined;
  const result: ParsedUpstreamError = {};
  if (message) result.message = raw ? `${message}: ${raw}` : message;
  if (failureClass) result.failureClass = failureClass;
  if (codeText) result.code = codeText;
  if (param) result.param = param;
  return result;
}

/**
 * The HTTP status OpenAI answers an error with, by its code or type, for an error object that carries
 * none (a stream's in-band error, a Responses `response.failed`, a 200 body that is an error): it then
 * fails over, and reaches a client, as that HTTP error would.
 */
const STATUS_BY_CODE: Record<string, number> = {
  invalid_request_error: 400,
  context_length_exceeded: 400,
  invalid_api_key: 401,
  model_not_found: 404,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  vector_store_timeout: 504,
};

/** The spec's other ResponseErrorCode values: each says what is wrong with the request (a 400). */
const REQUEST_CODES: ReadonlySet<string> = new Set([
  'invalid_prompt',
  'data_residency_mismatch',
  'bio_policy',
  'invalid_image',
  'invalid_image_format',
  'invalid_base64_image',
  'invalid_image_url',
  'image_too_large',
  'image_too_small',
  'image_parse_error',
  'image_content_policy_violation',
  'invalid_image_mode',
  'image_file_too_large',
  'unsupported_image_media_type',
  'empty_image_file',
  'failed_to_download_image',
  'image_file_not_found',
]);

function statusOfCode(name: unknown): number | undefined {
  if (typeof name !== 'string') return undefined;
  return STATUS_BY_CODE[name] ?? (REQUEST_CODES.has(name) ? 400 : undefined);
}

/**
 * The status an error object stands for when it arrives without an HTTP error (inside a 200 stream or
 * body): the one it carries (OpenRouter and vLLM `code: 400`, Groq `status_code: 400`), else the one
 * OpenAI gives its code or type; undefined when neither tells.
 */
export function inBandErrorStatus(body: unknown): number | undefined {
  const error = (body as { error?: { code?: unknown; status_code?: unknown; type?: unknown } } | undefined)
    ?.error;
  for (const value of [error?.status_code, error?.code]) {
    if (typeof value === 'number' && value >= 400 && value < 600) return value;
  }
  // The code is more specific than the type (type invalid_request_error, code model_not_found).
  return statusOfCode(error?.code) ?? statusOfCode(error?.type);
}
