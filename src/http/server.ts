/**
 * Thin HTTP wiring: the routes table, request ids, body limits and the error handler.
 */
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import websocket from '@fastify/websocket';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { registerAdminRoutes } from '../admin/admin-routes.js';
import { GatewayError } from '../core/errors.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/anthropic-messages-dialect.js';
import type { Dialect } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import type { Gateway } from '../gateway.js';
import { createGenerationLane, requestIdOf } from './generation-lane.js';
import { handleCountTokens } from './handle-count-tokens.js';
import { EMBEDDINGS_DIALECT, handleEmbeddings } from './handle-embeddings.js';
import { fromFastify, handleGeneration } from './handle-generation.js';
import { isFrameError } from './handle-responses-websocket.js';
import { registerInfoRoutes } from './info-routes.js';
import { registerModelRoutes } from './model-routes.js';
import { bodyAbandoned, recordRefusal } from './record-refusal.js';
import { registerResponsesRoutes } from './responses-routes.js';
import { sendError } from './send-error.js';
import { shuttingDownError } from './shut-down.js';

/** Which dialect renders errors that happen before a handler runs (bad JSON, body too large, 404). */
function dialectForUrl(url: string): Dialect {
  return url.startsWith('/v1/messages') ? anthropicMessagesDialect : openAIChatDialect;
}

/** The generation routes Fastify serves, by route path, with the dialect each one speaks. */
const GENERATION_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/v1/chat/completions', openAIChatDialect.name],
  ['/v1/messages', anthropicMessagesDialect.name],
  ['/v1/responses', openAIResponsesDialect.name],
  ['/v1/embeddings', EMBEDDINGS_DIALECT],
]);

/**
 * A refusal before a generation route's handler ran (parsing, limits, content type, shutting down) is
 * logged and counted as the handler's own refusals are; other routes leave no line, as documented.
 */
function recordIfGeneration(
  gateway: Gateway,
  request: FastifyRequest,
  reply: FastifyReply,
  error: GatewayError,
): void {
  const route = request.routeOptions.url;
  // A WebSocket handshake on GET /v1/responses is a Responses request too.
  const upgrade = request.method === 'GET' && request.headers.upgrade?.toLowerCase() === 'websocket';
  const dialect =
    (request.method === 'POST' || upgrade) && route !== undefined ? GENERATION_ROUTES.get(route) : undefined;
  if (dialect !== undefined)
    recordRefusal(gateway, { requestId: request.id, dialect }, error, reply.elapsedTime);
}

export interface BuildOptions {
  /** Serve /admin/* on this server (true unless `[admin] listen` gives the admin API its own). */
  admin: boolean;
}

export function buildServer(gateway: Gateway, options: BuildOptions = { admin: true }): FastifyInstance {
  let closing = false;
  const lane = createGenerationLane(gateway, () => closing || gateway.inFlight.draining);
  const app: FastifyInstance = Fastify({
    ...listenerOptions(gateway),
    // The hot generation routes take the lane; everything else (and those routes with another content
    // type, or while closing) goes through Fastify as before.
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (!lane(req, res)) handler(req, res);
      });
      // Fastify applies these only to servers it creates itself. Long streams must not be cut by server-side
      // timeouts; the routing deadlines govern them.
      server.keepAliveTimeout = 65_000;
      server.requestTimeout = 0;
      return server;
    },
  });
  // From here on new lane requests are left to Fastify, which answers 503 while it closes.
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  answerAsTheGateway(app, gateway);
  // Listening waits for governance (Redis, runtime keys and policy, usage database), so a node never
  // serves its first requests on a half-loaded state; closing flushes the usage log.
  app.addHook('onReady', () => gateway.governance.ready());
  app.addHook('onClose', () => gateway.governance.close());

  app.post('/v1/chat/completions', (request, reply) =>
    handleGeneration(gateway, openAIChatDialect, fromFastify(request, reply)),
  );
  app.post('/v1/messages', (request, reply) =>
    handleGeneration(gateway, anthropicMessagesDialect, fromFastify(request, reply)),
  );
  app.post('/v1/embeddings', (request, reply) => handleEmbeddings(gateway, request, reply));
  app.post('/v1/messages/count_tokens', (request, reply) => handleCountTokens(gateway, request, reply));
  // The Responses API's WebSocket mode upgrades GET /v1/responses.
  app.register(websocket, {
    options: { maxPayload: gateway.config.server.maxBodyBytes },
    errorHandler: (error: Error & { code?: string }, socket, request) => {
      // A frame the client got wrong (too large, broken) is its refused request, recorded by the socket's
      // handler; `ws` already closes the socket with the frame's own code (1009, 1007), so this is no
      // gateway error and the close is left to finish.
      if (isFrameError(error)) return;
      request.log.error({ err: error, requestId: request.id }, 'WebSocket error');
      socket.terminate();
    },
  });
  registerResponsesRoutes(app, gateway);
  registerInfoRoutes(app, gateway);
  registerModelRoutes(app, gateway);
  if (options.admin) registerAdminRoutes(app, gateway);
  return app;
}

/** The admin API alone, for a separate `[admin] listen`: request ids, errors and 404s as on the main one. */
export function buildAdminServer(gateway: Gateway): FastifyInstance {
  const app: FastifyInstance = Fastify(listenerOptions(gateway));
  answerAsTheGateway(app, gateway);
  registerAdminRoutes(app, gateway);
  return app;
}

/** Fastify options every listener shares. */
function listenerOptions(gateway: Gateway) {
  return {
    loggerInstance: gateway.logger as FastifyBaseLogger,
    // One usage record per request is logged by the pipeline; Fastify's own request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: gateway.config.server.maxBodyBytes,
    requestIdHeader: false as const,
    // No per-request child logger (a pino child per request showed in profiles): handlers put the request
    // id into the few lines they write.
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
    genReqId: (req: IncomingMessage) => requestIdOf(req.headers),
    return503OnClosing: true,
  };
}

/**
 * What every listener answers the same way: `x-request-id` on every response (a sane client-sent one
 * kept), a 503 with `connection: close` for a new request while shutting down, request bodies in JSON
 * only, and Fastify's own failures and unknown routes in the gateway's error envelope.
 */
function answerAsTheGateway(app: FastifyInstance, gateway: Gateway): void {
  // Every body Junction takes is a JSON object. Fastify's built-in text/plain parser would hand a
  // text/plain body on as a string, so a JSON body sent with that type got a confusing "expected object,
  // received string" 400; without the parser it is the same 415 as any other non-JSON content type.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Shutting down: a new request on a kept-alive connection is refused, and the connection closed, so
    // the client retries on another replica.
    if (gateway.inFlight.draining) {
      const refusal = shuttingDownError();
      reply.header('connection', 'close');
      sendError(reply, dialectForUrl(request.url), refusal);
      recordIfGeneration(gateway, request, reply, refusal);
      return reply;
    }
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // The body stream broke because the client closed its connection mid-body: not a malformed request.
    const refusal = error.code === 'ECONNRESET' ? bodyAbandoned() : fromFastifyError(error);
    sendError(reply, dialectForUrl(request.url), refusal);
    recordIfGeneration(gateway, request, reply, refusal);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(reply, dialectForUrl(request.url), unknownRoute(request.method, request.url));
  });
}

/**
 * A path (or method) nothing is served at, answered as OpenAI answers one: 404, `invalid_request_error`,
 * `Invalid URL (GET /path)`, no code (never `model_not_found`: no model was asked for). The query is left
 * out of the message, as it may carry what a client did not mean to have echoed.
 */
function unknownRoute(method: string, url: string): GatewayError {
  return new GatewayError('invalid_request', `Invalid URL (${method} ${url.split('?')[0]})`, { status: 404 });
}

/** Fastify's own failures (parsing, limits) in our error family, never with a stack trace. */
function fromFastifyError(error: FastifyError): GatewayError {
  if (error instanceof GatewayError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError(
        'payload_too_large',
        'Request body is larger than the configured server.max_body_bytes',
        { status: 413 },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('invalid_request', 'Content-Type must be application/json', { status: 415 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_request', 'Request body is empty; expected a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('invalid_request', `Malformed JSON in request body: ${error.message}`);
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new GatewayError('invalid_request', error.message, { status: error.statusCode });
      }
      return new GatewayError('internal', 'Internal gateway error', { cause: error });
  }
}
