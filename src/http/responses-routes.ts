/**
 * The OpenAI Responses surface: create (HTTP, background, WebSocket), stored responses, input tokens and
 * the Conversations API. See docs/responses.md.
 */
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_ABANDONED_AFTER_MS } from '../config/store-schema.js';
import { toGatewayError } from '../core/errors.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { ResponseStore } from '../storage/response-store/response-store.js';
import { handleResponsesCreate } from './handle-responses.js';
import {
  handleConversationCreate,
  handleConversationDelete,
  handleConversationItemDelete,
  handleConversationItemRetrieve,
  handleConversationItemsCreate,
  handleConversationItemsList,
  handleConversationRetrieve,
  handleConversationUpdate,
} from './handle-responses-conversations.js';
import { handleResponsesInputTokens } from './handle-responses-input-tokens.js';
import {
  handleResponseCancel,
  handleResponseDelete,
  handleResponseInputItems,
  handleResponseRetrieve,
} from './handle-responses-retrieve.js';
import { handleResponsesSocket } from './handle-responses-websocket.js';
import { recordRefusal } from './record-refusal.js';
import { BackgroundResponses } from './responses-background.js';
import type { ResponsesSurface } from './responses-surface.js';
import { sendError } from './send-error.js';

const closing = new WeakMap<ResponseStore, Promise<void>>();

/** The store is the gateway's: closed once, however many servers were built on it. */
function closeOnce(store: ResponseStore): Promise<void> {
  let closed = closing.get(store);
  if (!closed) {
    closed = store.close().catch(() => undefined);
    closing.set(store, closed);
  }
  return closed;
}

/** Registers the routes; @fastify/websocket must be registered on `app` first. */
export function registerResponsesRoutes(app: FastifyInstance, gateway: Gateway): void {
  const log = gateway.logger.child({ component: 'responses' });
  const store = gateway.responseStore;
  const surface: ResponsesSurface = {
    gateway,
    store,
    log,
    background: new BackgroundResponses(
      gateway,
      store,
      log,
      gateway.config.store?.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS,
    ),
  };
  app.addHook('onClose', async () => {
    await surface.background.abortAll();
    await closeOnce(store);
  });

  app.post('/v1/responses', (request, reply) => handleResponsesCreate(surface, request, reply));
  app.post('/v1/responses/input_tokens', (request, reply) =>
    handleResponsesInputTokens(surface, request, reply),
  );
  app.get('/v1/responses/:id', (request, reply) => handleResponseRetrieve(surface, request, reply));
  app.delete('/v1/responses/:id', (request, reply) => handleResponseDelete(surface, request, reply));
  app.get('/v1/responses/:id/input_items', (request, reply) =>
    handleResponseInputItems(surface, request, reply),
  );
  app.post('/v1/responses/:id/cancel', (request, reply) => handleResponseCancel(surface, request, reply));

  app.post('/v1/conversations', (request, reply) => handleConversationCreate(surface, request, reply));
  app.get('/v1/conversations/:id', (request, reply) => handleConversationRetrieve(surface, request, reply));
  app.post('/v1/conversations/:id', (request, reply) => handleConversationUpdate(surface, request, reply));
  app.delete('/v1/conversations/:id', (request, reply) => handleConversationDelete(surface, request, reply));
  app.get('/v1/conversations/:id/items', (request, reply) =>
    handleConversationItemsList(surface, request, reply),
  );
  app.post('/v1/conversations/:id/items', (request, reply) =>
    handleConversationItemsCreate(surface, request, reply),
  );
  app.get('/v1/conversations/:id/items/:item_id', (request, reply) =>
    handleConversationItemRetrieve(surface, request, reply),
  );
  app.delete('/v1/conversations/:id/items/:item_id', (request, reply) =>
    handleConversationItemDelete(surface, request, reply),
  );

  // WebSocket mode: authenticated at the handshake, so a bad key is a plain HTTP 401 before any upgrade.
  const identities = new WeakMap<FastifyRequest, CallerIdentity>();
  app.register(async (scope) => {
    scope.get(
      '/v1/responses',
      {
        websocket: true,
        preValidation: async (request, reply) => {
          try {
            identities.set(request, await gateway.authenticate(request.headers));
          } catch (thrown) {
            const error = toGatewayError(thrown);
            sendError(reply, openAIResponsesDialect, error);
            // A refused handshake is a refused Responses request: its line and count, as over HTTP.
            recordRefusal(
              gateway,
              { requestId: request.id, dialect: openAIResponsesDialect.name },
              error,
              reply.elapsedTime,
            );
            return reply;
          }
        },
      },
      (socket: WebSocket, request) => {
        const identity = identities.get(request);
        if (!identity) {
          socket.close(1008, 'unauthenticated');
          return;
        }
        handleResponsesSocket(surface, socket, request, identity);
      },
    );
  });
}
