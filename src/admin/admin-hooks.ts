/**
 * The hooks every admin route runs: the admin token check before it, and after it the audit line of a
 * change. Every admin request that may change something (any method but GET) leaves one
 * `admin change` line: the route, the key it names, the status, the request id and the caller's address,
 * and for a change that succeeded the body it was made with (admin bodies never carry a secret: those
 * are generated, and only ever in a response). Reads leave no line.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export type AdminHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface AdminHooks {
  onRequest: AdminHook;
  onResponse: AdminHook;
}

export function auditChanges(logger: Pick<Logger, 'info' | 'warn'>): AdminHook {
  return async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const status = reply.statusCode;
    const params = request.params as { name?: unknown } | undefined;
    const body = request.body as Record<string, unknown> | undefined;
    const key =
      typeof params?.name === 'string' ? params.name : typeof body?.name === 'string' ? body.name : undefined;
    const line = {
      requestId: request.id,
      route: `${request.method} ${(request.routeOptions.url ?? request.url).replace(/:(\w+)/g, '{$1}')}`,
      ...(key === undefined ? {} : { key }),
      status,
      ip: request.ip,
      ...(status < 400 && body !== undefined && body !== null ? { body } : {}),
    };
    // A write refused for a wrong or missing admin token is worth an operator's attention.
    if (status === 401) logger.warn(line, 'admin change');
    else logger.info(line, 'admin change');
  };
}
