/**
 * Health endpoints (the model listing is in model-routes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../gateway.js';

export function registerInfoRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = gateway.providers.size > 0;
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'no providers', providers: [...gateway.providers.keys()] });
  });
}
