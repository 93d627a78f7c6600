/**
 * WebSocket mode: `GET /v1/responses` upgraded. Auth happens at the handshake (the route's preValidation);
 * then the client sends `{"type":"response.create", ...create body without stream}` messages and receives
 * the same events an SSE stream would carry, one JSON text frame each. Turns run one after another on a
 * socket (messages that arrive meanwhile wait their turn), on any provider.
 *
 * The socket keeps its recent responses itself, so `previous_response_id` continues from here even with
 * `store: false` (nothing is written to the store then). Failures are `error` events and leave the socket
 * open: a bad message, an unknown id, an upstream failure. `generate: false` prepares a turn without
 * calling a model (a warm-up whose id the next turn continues from).
 */
import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { GatewayError } from '../core/errors.js';
import { invalidRequest, toGatewayError } from '../core/errors.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { ResponsesEventBuilder } from '../dialects/openai-responses/openai-responses-event-builder.js';
import { builderOptions } from '../dialects/openai-responses/openai-responses-response.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { StoredItem } from '../storage/response-store/response-store.js';
import { lowerCaseHeaders } from './client-headers.js';
import type { Drainable } from './in-flight.js';
import type { WireEvent } from './responses-relay-reader.js';
import { isTerminalEvent } from './responses-relay-reader.js';
import { errorEvent, resolveResponsesRoute, runResponsesTurn } from './responses-run.js';
import type { ResponsesSurface } from './responses-surface.js';
import type { ResponsesTurn, TurnCache } from './responses-turn.js';
import {
  encodeContextOf,
  narrowForBuiltInTools,
  outputItemsOf,
  prepareTurn,
  recordTurn,
} from './responses-turn.js';
import { shuttingDownError } from './shut-down.js';

/** Responses a socket remembers for previous_response_id (the most recent ones). */
const SOCKET_CACHE_SIZE = 8;

class SocketTurnCache implements TurnCache {
  private readonly entries = new Map<string, { items: StoredItem[] }>();

  get(id: string): { items: StoredItem[] } | undefined {
    return this.entries.get(id);
  }

  set(id: string, items: StoredItem[]): void {
    this.entries.delete(id);
    this.entries.set(id, { items });
    while (this.entries.size > SOCKET_CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
  }
}

export function handleResponsesSocket(
  surface: ResponsesSurface,
  socket: WebSocket,
  request: FastifyRequest,
  identity: CallerIdentity,
): void {
  const cache = new SocketTurnCache();
  const clientHeaders = lowerCaseHeaders(request.headers);
  const abort = new AbortController();
  const queue: Array<{ data: RawData; isBinary: boolean }> = [];
  let busy = false;
  let turns = 0;

  const send = (event: WireEvent): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
  };
  const sendError = (error: GatewayError): void => send({ ...errorEvent(error, 0), status: error.status });

  // At shutdown the socket takes no new turns and closes once the running one has ended.
  let draining = false;
  const closeGoingAway = (): void => {
    if (socket.readyState === socket.OPEN) socket.close(1001, 'The gateway is shutting down');
  };
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const drainable: Drainable = {
    drain: () => {
      draining = true;
      queue.length = 0;
      if (!busy) closeGoingAway();
      return closed;
    },
    stop: () => {
      abort.abort(shuttingDownError());
      closeGoingAway();
    },
  };
  surface.gateway.inFlight.addDrainable(drainable);

  async function pump(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          await runMessage(next.data, next.isBinary);
        } catch (error) {
          sendError(toGatewayError(error));
        }
      }
    } finally {
      busy = false;
      if (draining) closeGoingAway();
    }
  }

  async function runMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) throw invalidRequest('Send events as JSON text messages');
    const message = parseMessage(rawText(data));
    if (message.type !== 'response.create') {
      throw invalidRequest(
        `Unsupported event type '${String(message.type)}'; send 'response.create'`,
        'type',
      );
    }
    const { type: _type, stream: _stream, background, generate, ...body } = message;
    if (background === true) {
      throw invalidRequest(
        'background is not supported over WebSocket; use POST /v1/responses',
        'background',
      );
    }
    const decoded = openAIResponsesDialect.decodeRequest({ ...body, stream: true });
    const turn = await prepareTurn(decoded, { store: surface.store, ownerKey: identity.keyName, cache });
    const requestId = `${request.id}.${++turns}`;
    if (generate === false) {
      await warmUp(turn, requestId);
      return;
    }
    const route = narrowForBuiltInTools(resolveResponsesRoute(surface.gateway, turn, clientHeaders), turn);
    const events: WireEvent[] = [];
    for await (const event of runResponsesTurn({
      gateway: surface.gateway,
      identity,
      turn,
      route,
      requestId,
      clientHeaders,
      signal: abort.signal,
    })) {
      events.push(event);
      // Remembered (and stored) before the client sees the end, so it can continue at once.
      if (isTerminalEvent(event) && typeof event.response === 'object' && event.response !== null)
        await remember(turn, event.response as Record<string, unknown>, events);
      send(event);
    }
  }

  /** A response with no output that the next turn can continue from (its input is the history). */
  async function warmUp(turn: ResponsesTurn, requestId: string): Promise<void> {
    const builder = new ResponsesEventBuilder(builderOptions(encodeContextOf(turn, requestId)));
    const events = [...builder.push({ type: 'response-start' }), ...builder.finish()];
    await remember(turn, builder.response(), events);
    for (const event of events) send(event);
  }

  async function remember(
    turn: ResponsesTurn,
    response: Record<string, unknown>,
    events: ReadonlyArray<Record<string, unknown>>,
  ): Promise<void> {
    if (response.status === 'failed' || typeof response.id !== 'string') return;
    cache.set(response.id, [...turn.history, ...turn.inputItems, ...outputItemsOf(response)]);
    try {
      await recordTurn(surface.store, turn, response, { streamEvents: events });
    } catch (error) {
      surface.log.warn({ err: error, responseId: response.id }, 'response store: could not store a response');
    }
  }

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (draining) {
      sendError(shuttingDownError());
      return;
    }
    queue.push({ data, isBinary });
    void pump();
  });
  const gone = (): void => {
    abort.abort();
    surface.gateway.inFlight.deleteDrainable(drainable);
  };
  socket.on('close', gone);
  socket.on('error', gone);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function parseMessage(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest('The message is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('The message must be a JSON object with a "type"');
  }
  return value as Record<string, unknown>;
}
