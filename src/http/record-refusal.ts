/**
 * A generation request refused before the shared path ran (body too large, malformed JSON, a non-JSON
 * content type, shutting down, a background Responses request refused, a client that left before its
 * body was whole, a Responses WebSocket handshake or message refused): the same one log line, usage
 * record and request count as a refusal on the shared path, so every generation request is in both.
 */
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import type { UsageRecord } from '../pipeline/usage-recorder.js';
import { recordRequest } from './finish-request.js';

export interface RefusedRequest {
  requestId: string;
  /** The dialect the route speaks, as on the shared path. */
  dialect: string;
  /** Known when the refusal came after authentication or decoding. */
  keyName?: string;
  model?: string;
}

export function recordRefusal(
  gateway: Gateway,
  refused: RefusedRequest,
  error: GatewayError,
  latencyMs: number,
): void {
  // As on the shared path: an internal error is worth its own line, with what caused it.
  if (error.failureClass === 'internal')
    gateway.logger.error({ err: error.cause ?? error, requestId: refused.requestId }, 'internal error');
  const record: UsageRecord = {
    requestId: refused.requestId,
    keyName: refused.keyName ?? 'anonymous',
    model: refused.model ?? '',
    dialect: refused.dialect,
    stream: false,
    fastPath: false,
    status: error.status,
    failureClass: error.failureClass,
    attempts: 0,
    latencyMs,
  };
  recordRequest(gateway, record, false);
}

/**
 * A client that closed its connection before its whole body arrived. Nobody is left to read an answer,
 * but the request is recorded as a client that went away is elsewhere: 499.
 */
export function bodyAbandoned(): GatewayError {
  return new GatewayError(
    'timeout',
    'The client closed the connection before sending the whole request body',
    { status: 499 },
  );
}
