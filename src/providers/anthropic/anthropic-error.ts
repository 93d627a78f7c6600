/**
 * Reads Anthropic's error body `{type:'error', error:{type, message}}` (HTTP errors and the mid-stream
 * `error` event share it) and names the failure class its `error.type` makes clear.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

const ERROR_CLASSES: Record<string, FailureClass> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'auth',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'payload_too_large',
  rate_limit_error: 'rate_limit',
  billing_error: 'quota',
  timeout_error: 'timeout',
  api_error: 'transient',
  overloaded_error: 'overloaded',
};

/** The HTTP status Anthropic answers each error type with, for an error that came inside a 200 stream. */
const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const errorBodySchema = z.looseObject({
  error: z.looseObject({
    type: z.string().optional(),
    message: z.string().optional(),
  }),
});

export function anthropicFailureClass(errorType: string | undefined): FailureClass | undefined {
  return errorType === undefined ? undefined : ERROR_CLASSES[errorType];
}

export function anthropicErrorStatus(errorType: string): number | undefined {
  return ERROR_STATUS[errorType];
}

/** Never throws: a body that is not Anthropic's shape yields `{}` and the HTTP status decides. */
export function parseAnthropicError(body: unknown): ParsedUpstreamError {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const { type, message } = parsed.data.error;
  const result: ParsedUpstreamError = {};
  if (message !== undefined) result.message = message;
  if (type !== undefined) result.code = type;
  const failureClass = anthropicFailureClass(type);
  if (failureClass !== undefined) result.failureClass = failureClass;
  return result;
}
