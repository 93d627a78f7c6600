/**
 * Model listing and health endpoints.
 */
import type { FastifyInstance } from 'fastify';
import { toGatewayError } from '../core/errors.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import { visibleModels } from '../pipeline/stages/model-access-stage.js';
import { sendError } from './send-error.js';

export function registerInfoRoutes(app: FastifyInstance, gateway: Gateway): void {
  const created = Math.floor(Date.now() / 1000);
  app.get('/v1/models', async (request, reply) => {
    let identity: CallerIdentity;
    try {
      identity = await gateway.authenticate(request.headers);
    } catch (error) {
      sendError(reply, openAIChatDialect, toGatewayError(error));
      return reply;
    }
    // A key limited to some models sees only those, as it could call no others.
    const models = visibleModels(gateway.catalog.list(), identity.limits?.models, gateway.config.models);
    return {
      object: 'list',
      data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.ownedBy })),
    };
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = gateway.providers.size > 0;
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'no providers', providers: [...gateway.providers.keys()] });
  });
}
