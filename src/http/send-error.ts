/** Renders a GatewayError in the dialect's envelope on a reply that has not started yet, with its limit headers. */
import type { FastifyReply } from 'fastify';
import type { GatewayError } from '../core/errors.js';
import type { Dialect } from '../dialects/dialect.js';
import { LimitExceededError } from '../pipeline/limits/rate-limit-error.js';

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
