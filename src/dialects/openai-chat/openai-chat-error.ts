/**
 * GatewayError -> OpenAI's error envelope {"error":{"message","type","param","code"}} with its status.
 */
import type { FailureClass, GatewayError } from '../../core/errors.js';
import type { RenderedError } from '../dialect.js';

const ERROR_TYPE: Record<FailureClass, string> = {
  auth: 'authentication_error',
  permission: 'permission_error',
  invalid_request: 'invalid_request_error',
  not_found: 'not_found_error',
  payload_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  quota: 'insufficient_quota',
  overloaded: 'server_error',
  transient: 'server_error',
  timeout: 'timeout_error',
  network: 'server_error',
  content_filter: 'invalid_request_error',
  unsupported: 'invalid_request_error',
  internal: 'server_error',
};

export function renderOpenAIError(error: GatewayError): RenderedError {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
    headers['retry-after-ms'] = String(Math.round(error.retryAfterMs));
  }
  return {
    // OpenAI clients know 529 from nowhere; overloaded is a 503 on this surface.
    status: error.status === 529 ? 503 : error.status,
    headers,
    body: {
      error: {
        message: error.message,
        type: ERROR_TYPE[error.failureClass],
        param: error.param ?? null,
        code: error.code ?? defaultCode(error.failureClass),
      },
    },
  };
}

/**
 * The code an error gets when it names none. Not `not_found`: OpenAI answers a missing resource (a stored
 * response, an item) and an unknown route with `code: null`, and every missing model names its own
 * `model_not_found`.
 */
function defaultCode(failureClass: FailureClass): string | null {
  switch (failureClass) {
    case 'rate_limit':
      return 'rate_limit_exceeded';
    case 'content_filter':
      return 'content_filter';
    case 'auth':
      return 'invalid_api_key';
    case 'unsupported':
      return 'unsupported_parameter';
    default:
      return null;
  }
}
