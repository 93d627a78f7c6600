/**
 * Stored responses: `GET /v1/responses/{id}` (JSON, or `?stream=true[&starting_after=N]` replaying the
 * stored events, live for a background response still running here), `DELETE /v1/responses/{id}`,
 * `GET /v1/responses/{id}/input_items` (after, before, limit, order) and `POST /v1/responses/{id}/cancel`.
 * Another key's responses are not found.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest, toGatewayError } from '../core/errors.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import type { ItemPage, ListOptions } from '../storage/response-store/response-store.js';
import { MAX_LIST_LIMIT } from '../storage/response-store/response-store.js';
import type { WireEvent } from './responses-relay-reader.js';
import { eventsFromResponse } from './responses-run.js';
import { sendEventStream } from './responses-sse.js';
import type { ResponsesSurface } from './responses-surface.js';
import { callerOf } from './responses-surface.js';
import { notFound } from './responses-turn.js';
import { sendError } from './send-error.js';

type Handler = (surface: ResponsesSurface, request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Runs a handler with errors rendered in the OpenAI envelope. */
export function withOpenAIErrors(handler: Handler): Handler {
  return async (surface, request, reply) => {
    try {
      await handler(surface, request, reply);
    } catch (error) {
      if (!reply.sent && !reply.raw.headersSent)
        sendError(reply, openAIResponsesDialect, toGatewayError(error));
    }
  };
}

export const handleResponseRetrieve = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const query = queryOf(request);
  if (query.stream === 'true') {
    const after = optionalInt(query.starting_after, 'starting_after', 0);
    const live = surface.background.follow(id, keyName, after);
    if (live) {
      await sendEventStream(reply, live);
      return;
    }
    const found = await surface.store.get(id, keyName);
    if (!found) throw notFound('Response', id);
    const record = await surface.background.settleAbandoned(found);
    const events = (record.streamEvents as WireEvent[] | undefined) ?? eventsFromResponse(record.response);
    await sendEventStream(
      reply,
      events.filter((event) => after === undefined || Number(event.sequence_number) > after),
    );
    return;
  }
  const record = await surface.store.get(id, keyName);
  if (!record) throw notFound('Response', id);
  await sendJson(reply, (await surface.background.settleAbandoned(record)).response);
});

export const handleResponseDelete = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  if (!(await surface.store.delete(id, keyName))) throw notFound('Response', id);
  await sendJson(reply, { id, object: 'response', deleted: true });
});

export const handleResponseInputItems = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const page = await surface.store.listInputItems(id, keyName, listOptions(queryOf(request)));
  if (!page) throw notFound('Response', id);
  await sendJson(reply, itemList(page));
});

export const handleResponseCancel = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  await sendJson(reply, await surface.background.cancel(paramOf(request, 'id'), keyName));
});

/** `after`, `before`, `limit` (1-100), `order` (asc | desc) from a list endpoint's query. */
export function listOptions(query: Record<string, string | undefined>): ListOptions {
  const order = query.order;
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw invalidRequest("order must be 'asc' or 'desc'", 'order');
  }
  const limit = optionalInt(query.limit, 'limit', 1);
  if (limit !== undefined && limit > MAX_LIST_LIMIT)
    throw invalidRequest(`limit must be at most ${MAX_LIST_LIMIT}`, 'limit');
  return {
    ...(query.after ? { after: query.after } : {}),
    ...(query.before ? { before: query.before } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(order ? { order } : {}),
  };
}

export function itemList(page: ItemPage): Record<string, unknown> {
  return {
    object: 'list',
    data: page.data,
    first_id: page.firstId,
    last_id: page.lastId,
    has_more: page.hasMore,
  };
}

export function paramOf(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, string>)[name] ?? '');
}

export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    out[name] = Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
  }
  return out;
}

export async function sendJson(reply: FastifyReply, body: unknown): Promise<void> {
  await reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

function optionalInt(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min)
    throw invalidRequest(`${name} must be an integer >= ${min}`, name);
  return number;
}
