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
 * The HTTP-like status an error object carries inside a 200 stream (OpenRouter `code: 400`, Groq
 * `status_code: 400`), for classifying errors that arrive as SSE data lines.
 */
export function inBandErrorStatus(body: unknown): number | undefined {
  const error = (body as { error?: { code?: unknown; status_code?: unknown } } | undefined)?.error;
  for (const value of [error?.status_code, error?.code]) {
    if (typeof value === 'number' && value >= 400 && value < 600) return value;
  }
  return undefined;
}
