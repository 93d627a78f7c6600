/** Renders a GatewayError in the dialect's envelope on a reply that has not started yet. */
import type { FastifyReply } from 'fastify';
import type { GatewayError } from '../core/errors.js';
import type { Dialect } from '../dialects/dialect.js';

export function sendError(
  reply: FastifyReply,
  dialect: Pick<Dialect, 'renderError'>,
  error: GatewayError,
): void {
  const rendered = dialect.renderError(error, reply.request.id);
  void reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
}
