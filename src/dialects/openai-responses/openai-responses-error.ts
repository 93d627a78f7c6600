/**
 * Errors on the Responses surface. Before any byte is sent: OpenAI's HTTP envelope
 * {"error":{"message","type","param","code"}} (shared with Chat Completions). Mid-stream (and on a
 * WebSocket): a `response.failed` event whose Response carries `error: {code, message}` (code from the
 * spec's ResponseErrorCode enum), then an `error` event {type:"error", code, message, param, error:{...}}.
 * (OpenAI itself sends `error` first; failed-then-error lets SDK users see the failed Response before the
 * SDK raises the error.)
 */
import type { FailureClass, GatewayError } from '../../core/errors.js';
import { renderOpenAIError } from '../openai-chat/openai-chat-error.js';

export { renderOpenAIError as renderResponsesError };

/** The spec's ResponseErrorCode values Junction uses: a Response's `error.code` must be one of them. */
export type ResponseErrorCode = 'server_error' | 'rate_limit_exceeded' | 'invalid_prompt';

export function responseErrorCode(failureClass: FailureClass): ResponseErrorCode {
  switch (failureClass) {
    case 'rate_limit':
    case 'quota':
      return 'rate_limit_exceeded';
    case 'invalid_request':
    case 'content_filter':
    case 'unsupported':
    case 'payload_too_large':
      return 'invalid_prompt';
    default:
      return 'server_error';
  }
}

export interface ErrorEventFields {
  code: string | null;
  message: string;
  param: string | null;
  /**
   * The OpenAI envelope as OpenAI itself sends it in this event. The spec only has the top-level fields,
   * but the official SDKs raise an APIError from a streamed `error` object, so both are sent.
   */
  error: { type: string; code: string | null; message: string; param: string | null };
}

/** The fields of the `error` stream event (ResponseErrorEvent without type and sequence_number). */
export function errorEventFields(error: GatewayError): ErrorEventFields {
  const body = renderOpenAIError(error).body as {
    error: { type: string; code: string | null; message: string; param: string | null };
  };
  return {
    code: body.error.code ?? body.error.type,
    message: error.message,
    param: body.error.param,
    error: body.error,
  };
}
