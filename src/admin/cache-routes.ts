/** /admin/cache: list entries (newest state of the shared cache with Redis) and clear it. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import { sendAdminError } from './admin-error.js';

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function registerCacheRoutes(app: FastifyInstance, gateway: Gateway, guard: Guard): void {
  const cacheOrThrow = () => {
    const cache = gateway.governance.cache;
    if (!cache)
      throw new GatewayError('not_found', 'The response cache is off ([cache] enabled = false)', {
        code: 'cache_disabled',
      });
    return cache;
  };

  app.get<{ Querystring: { limit?: string } }>(
    '/admin/cache',
    { onRequest: guard },
    async (request, reply) => {
      try {
        const limit = Math.min(1000, Math.max(1, Number(request.query.limit ?? 100) || 100));
        const entries = await cacheOrThrow().list(limit);
        return {
          entries: entries.map((entry) => ({
            key: entry.key,
            model: entry.model,
            key_name: entry.keyName ?? null,
            created_at: new Date(entry.createdAt).toISOString(),
            expires_at: new Date(entry.expiresAt).toISOString(),
            bytes: entry.bytes,
          })),
        };
      } catch (error) {
        return sendAdminError(reply, error);
      }
    },
  );

  app.delete('/admin/cache', { onRequest: guard }, async (_request, reply) => {
    try {
      return { cleared: await cacheOrThrow().clear() };
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });
}
