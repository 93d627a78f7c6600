/** Renders a GatewayError in the dialect's envelope on a reply that has not started yet, with its limit headers. */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { type GatewayError, toGatewayError } from '../core/errors.js';
import type { Dialect } from '../dialects/dialect.js';
import { LimitExceededError } from '../pipeline/limits/rate-limit-error.js';
import type { UsageRecord } from '../pipeline/usage-recorder.js';

export function sendError(
  reply: FastifyReply,
  dialect: Pick<Dialect, 'renderError'>,
  error: GatewayError,
): void {
  const rendered = dialect.renderError(error, reply.request.id);
  // A refused limit carries RateLimit-* and Retry-After, whichever dialect renders the body.
  if (error instanceof LimitExceededError) reply.headers(error.headers);
  void reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
}

/** The same on a raw response (the shared generation path), after `headers` (x-request-id, route, stages). */
export function writeError(
  raw: ServerResponse,
  dialect: Pick<Dialect, 'renderError'>,
  error: GatewayError,
  requestId: string,
  headers: Record<string, string>,
): void {
  const rendered = dialect.renderError(error, requestId);
  const body = JSON.stringify(rendered.body);
  // Names are merged case-insensitively, later sources winning: a refusal's Retry-After replaces the one a
  // stage set earlier instead of being sent twice.
  const merged: Record<string, string> = {};
  for (const source of [headers, error instanceof LimitExceededError ? error.headers : {}, rendered.headers])
    for (const [name, value] of Object.entries(source)) merged[name.toLowerCase()] = value;
  merged['content-type'] = 'application/json; charset=utf-8';
  merged['content-length'] = String(Buffer.byteLength(body));
  raw.writeHead(rendered.status, merged);
  raw.end(body);
}

/**
 * A request of the shared path failed: its record takes the failure, an internal error is logged with its
 * stack (never sent), and the client gets the dialect's error answer, or an ended response once headers
 * are out.
 */
export function answerFailure(
  raw: ServerResponse,
  dialect: Pick<Dialect, 'renderError'>,
  thrown: unknown,
  record: UsageRecord,
  headers: Record<string, string>,
  log: { error(object: object, message: string): void },
): void {
  const error = toGatewayError(thrown);
  record.status = error.status;
  record.failureClass = error.failureClass;
  if (error.failureClass === 'internal')
    log.error({ err: thrown, requestId: record.requestId }, 'internal error');
  if (!raw.headersSent) writeError(raw, dialect, error, record.requestId, headers);
  else if (!raw.writableEnded) raw.end();
}
