/**
 * GatewayError -> Anthropic's error envelope `{"type":"error","error":{"type","message"},"request_id"}`
 * with the status Anthropic documents for each error type (https://docs.claude.com/en/api/errors, plus
 * `timeout_error`, which the official SDKs know as a 504). Overloaded is 529, as Anthropic clients expect.
 */
import type { FailureClass, GatewayError } from '../../core/errors.js';
import type { RenderedError } from '../dialect.js';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

const BY_CLASS: Record<FailureClass, { type: AnthropicErrorType; status: number }> = {
  auth: { type: 'authentication_error', status: 401 },
  permission: { type: 'permission_error', status: 403 },
  not_found: { type: 'not_found_error', status: 404 },
  payload_too_large: { type: 'request_too_large', status: 413 },
  rate_limit: { type: 'rate_limit_error', status: 429 },
  quota: { type: 'rate_limit_error', status: 429 },
  overloaded: { type: 'overloaded_error', status: 529 },
  invalid_request: { type: 'invalid_request_error', status: 400 },
  unsupported: { type: 'invalid_request_error', status: 400 },
  content_filter: { type: 'invalid_request_error', status: 400 },
  timeout: { type: 'timeout_error', status: 504 },
  transient: { type: 'api_error', status: 500 },
  network: { type: 'api_error', status: 500 },
  internal: { type: 'api_error', status: 500 },
};

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  request_id?: string;
}

export function anthropicErrorBody(error: GatewayError, requestId?: string): AnthropicErrorBody {
  return {
    type: 'error',
    error: { type: anthropicType(error), message: messageOf(error) },
    ...(requestId !== undefined ? { request_id: requestId } : {}),
  };
}

/** `requestId` is optional because Dialect.renderError does not carry it yet. */
export function renderAnthropicError(error: GatewayError, requestId?: string): RenderedError {
  const headers: Record<string, string> = {
    // Anthropic's SDKs obey this over their status-based guess: no retries for a spent quota.
    'x-should-retry': String(error.retryable),
  };
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
    // Anthropic's SDKs read the millisecond form first, when present.
    headers['retry-after-ms'] = String(Math.round(error.retryAfterMs));
  }
  return { status: anthropicStatus(error), headers, body: anthropicErrorBody(error, requestId) };
}

/**
 * The envelope has no `param`, so the message names the field, as Anthropic's own messages do
 * ("messages.1.content.0: ..."), unless it already does. An upstream's param names a field of its own wire
 * request, not the client's, and stays out.
 */
function messageOf(error: GatewayError): string {
  const { param, message } = error;
  if (param === undefined || error.upstreamStatus !== undefined || message.includes(param)) return message;
  return `${param}: ${message}`;
}

/** A request refused with 404 (an unknown route) is Anthropic's not_found_error, whatever its class. */
function anthropicType(error: GatewayError): AnthropicErrorType {
  if (error.failureClass === 'invalid_request' && error.status === 404) return 'not_found_error';
  return BY_CLASS[error.failureClass].type;
}

/** Anthropic uses invalid_request_error for other 4xx statuses too (409, 422), so those keep theirs. */
function anthropicStatus(error: GatewayError): number {
  const mapped = BY_CLASS[error.failureClass].status;
  if (error.failureClass === 'invalid_request' && error.status >= 400 && error.status < 500)
    return error.status;
  return mapped;
}
