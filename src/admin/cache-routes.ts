/** /admin/cache: list entries (newest state of the shared cache with Redis) and clear it. */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import { sendAdminError } from './admin-error.js';
import type { AdminHooks } from './admin-hooks.js';

export function registerCacheRoutes(app: FastifyInstance, gateway: Gateway, hooks: AdminHooks): void {
  const cacheOrThrow = () => {
    const cache = gateway.governance.cache;
    if (!cache)
      throw new GatewayError('not_found', 'The response cache is off ([cache] enabled = false)', {
        code: 'cache_disabled',
      });
    return cache;
  };

  app.get<{ Querystring: { limit?: string } }>('/admin/cache', hooks, async (request, reply) => {
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
  });

  app.delete('/admin/cache', hooks, async (_request, reply) => {
    try {
      return { cleared: await cacheOrThrow().clear() };
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });
}
