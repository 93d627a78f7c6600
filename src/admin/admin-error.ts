/**
 * Admin API errors as JSON `{ error: { message, type, code? } }`, and request bodies validated with
 * zod, whose problems are reported with their field path.
 */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { GatewayError, toGatewayError } from '../core/errors.js';

export function sendAdminError(reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = toGatewayError(thrown);
  return reply.code(error.status).send({
    error: {
      message: error.message,
      type: error.failureClass,
      ...(error.code === undefined ? {} : { code: error.code }),
    },
  });
}

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  throw new GatewayError('invalid_request', `Invalid request body: ${problems.join('; ')}`);
}
