/**
 * The failure a Responses stream event stands for, classified once for the translated decoder and the
 * fast path's tap, as the HTTP error of its code would be (rate_limit_exceeded a 429, server_error a 500,
 * no known code a 502: openai-error.ts):
 *
 * - `error`: OpenAI nests the envelope (`{"type":"error","error":{"type","code","message"}}`, as recorded);
 *   the spec's ResponseErrorEvent has `code`, `message` and `param` at the top level;
 * - `response.failed`: the failed Response's `error: {code, message}`.
 *
 * `response.incomplete` is not a failure: a max_output_tokens stop is an answer.
 */
import type { GatewayError } from '../../core/errors.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { inBandErrorStatus, parseOpenAIError } from './openai-error.js';

/** The OpenAI error envelope an event's failure is read from. */
export interface ErrorEnvelope {
  error: Record<string, unknown>;
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

/** An `error` event's envelope, in either shape. */
export function errorEventEnvelope(event: Loose): ErrorEnvelope {
  if (isObject(event.error)) return { error: event.error };
  return { error: { code: event.code ?? null, message: event.message, param: event.param ?? null } };
}

/** A `response.failed` event's envelope; a failed Response without an error is a server error. */
export function failedResponseEnvelope(response: unknown): ErrorEnvelope {
  const error = isObject(response) && isObject(response.error) ? response.error : {};
  return {
    error: { code: error.code ?? 'server_error', message: error.message ?? 'response failed' },
  };
}

/** The classified failure of an envelope: by the status it carries or its code stands for, else 502. */
export function responsesFailure(
  provider: string,
  envelope: ErrorEnvelope,
  parseError: (body: unknown) => ParsedUpstreamError = parseOpenAIError,
): GatewayError {
  const status = inBandErrorStatus(envelope) ?? 502;
  return upstreamErrorFromText(provider, status, {}, JSON.stringify(envelope), parseError);
}
