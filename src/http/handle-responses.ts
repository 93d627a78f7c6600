/**
 * `POST /v1/responses`. A foreground request (streamed or not) takes the shared generation path with the
 * Responses hooks (responses-http-turn.ts); `background: true` is answered at once with a queued Response
 * and runs detached (responses-background.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest, toGatewayError } from '../core/errors.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { lowerCaseHeaders } from './client-headers.js';
import { fromFastify, handleGeneration } from './handle-generation.js';
import type { RefusedRequest } from './record-refusal.js';
import { recordRefusal } from './record-refusal.js';
import { createResponsesHttpTurn } from './responses-http-turn.js';
import { resolveResponsesRoute } from './responses-run.js';
import { sendEventStream } from './responses-sse.js';
import type { ResponsesSurface } from './responses-surface.js';
import { callerOf } from './responses-surface.js';
import { narrowForBuiltInTools, prepareTurn } from './responses-turn.js';
import { sendError } from './send-error.js';

export async function handleResponsesCreate(
  surface: ResponsesSurface,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const body = request.body as Record<string, unknown> | null;
  if (typeof body === 'object' && body !== null && body.background === true) {
    await createInBackground(surface, request, reply);
    return;
  }
  const turn = createResponsesHttpTurn(surface.store, surface.log);
  await handleGeneration(surface.gateway, turn.dialect, fromFastify(request, reply), turn.hooks);
}

async function createInBackground(
  surface: ResponsesSurface,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  // What is known of the request when it is refused before its background run starts (which logs itself).
  const refused: RefusedRequest = { requestId: request.id, dialect: openAIResponsesDialect.name };
  let running = false;
  try {
    const identity = await callerOf(surface, request.headers);
    refused.keyName = identity.keyName;
    const decoded = openAIResponsesDialect.decodeRequest(request.body);
    refused.model = decoded.canonical.model;
    if (decoded.request.store === false) {
      throw invalidRequest(
        'background=true keeps the result for retrieval, so it cannot be combined with store=false',
        'store',
      );
    }
    const turn = await prepareTurn(decoded, { store: surface.store, ownerKey: identity.keyName });
    const clientHeaders = lowerCaseHeaders(request.headers);
    const route = narrowForBuiltInTools(resolveResponsesRoute(surface.gateway, turn, clientHeaders), turn);
    const queued = await surface.background.start({
      identity,
      turn,
      route,
      requestId: request.id,
      clientHeaders,
    });
    running = true;
    if (decoded.request.stream === true) {
      // The client may go away: the response keeps running and can be followed again by id.
      await sendEventStream(reply, surface.background.follow(turn.responseId, identity.keyName) ?? []);
      return;
    }
    await reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(queued));
  } catch (thrown) {
    const error = toGatewayError(thrown);
    sendError(reply, openAIResponsesDialect, error);
    if (!running) recordRefusal(surface.gateway, refused, error, reply.elapsedTime);
  }
}
