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
 *
 * Every message is one request, `<handshake request id>.<n>`: a turn records itself; a message refused
 * before it became one (not JSON, an unknown model, a frame `ws` refused, ...) leaves the same log line
 * and request count as a refused HTTP request.
 */
import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { GatewayError, invalidRequest, toGatewayError } from '../core/errors.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { ResponsesEventBuilder } from '../dialects/openai-responses/openai-responses-event-builder.js';
import { builderOptions } from '../dialects/openai-responses/openai-responses-response.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { StoredItem } from '../storage/response-store/response-store.js';
import { lowerCaseHeaders } from './client-headers.js';
import type { Drainable } from './in-flight.js';
import { recordRefusal } from './record-refusal.js';
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
  const queue: Message[] = [];
  let busy = false;
  let messages = 0;
  /** Each message is one request: `<handshake id>.<n>`, n counting the socket's messages from 1. */
  const arrived = (): { requestId: string; started: number } => ({
    requestId: `${request.id}.${++messages}`,
    started: performance.now(),
  });
  /** A message refused before it became a turn: its line and count, as a refused HTTP request's. */
  const refuse = (message: { requestId: string; started: number; model?: string }, error: GatewayError) =>
    recordRefusal(
      surface.gateway,
      {
        requestId: message.requestId,
        dialect: openAIResponsesDialect.name,
        keyName: identity.keyName,
        ...(message.model === undefined ? {} : { model: message.model }),
      },
      error,
      performance.now() - message.started,
    );

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
          await runMessage(next);
        } catch (thrown) {
          const error = toGatewayError(thrown);
          sendError(error);
          // A turn that began records itself (runResponsesTurn); one refused before that is recorded here.
          if (!next.began) refuse(next, error);
        }
      }
    } finally {
      busy = false;
      if (draining) closeGoingAway();
    }
  }

  async function runMessage(next: Message): Promise<void> {
    const { data, isBinary, requestId } = next;
    if (isBinary) throw invalidRequest('Send events as JSON text messages');
    const message = parseMessage(rawText(data));
    if (typeof message.model === 'string') next.model = message.model;
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
    if (generate === false) {
      await warmUp(turn, requestId);
      return;
    }
    const route = narrowForBuiltInTools(resolveResponsesRoute(surface.gateway, turn, clientHeaders), turn);
    next.began = true;
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
    const message = arrived();
    if (draining) {
      const refusal = shuttingDownError();
      sendError(refusal);
      refuse(message, refusal);
      return;
    }
    queue.push({ ...message, data, isBinary, began: false });
    void pump();
  });
  const gone = (): void => {
    abort.abort();
    surface.gateway.inFlight.deleteDrainable(drainable);
  };
  socket.on('close', gone);
  socket.on('error', (error: Error & { code?: string }) => {
    // A frame `ws` refused (over max_body_bytes, broken): it closes the socket with the matching code,
    // and the message that never arrived is recorded as a refused request.
    if (isFrameError(error)) refuse(arrived(), frameRefusal(error));
    gone();
  });
}

/** A message as it waits for its turn on the socket. */
interface Message {
  data: RawData;
  isBinary: boolean;
  requestId: string;
  started: number;
  /** Known once the message parsed. */
  model?: string;
  /** Handed to runResponsesTurn, which records the request itself from then on. */
  began: boolean;
}

/** `ws` refuses a frame it cannot take with an error whose code starts with WS_ERR_. */
export function isFrameError(error: Error & { code?: string }): boolean {
  return typeof error.code === 'string' && error.code.startsWith('WS_ERR_');
}

function frameRefusal(error: Error & { code?: string }): GatewayError {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
    return new GatewayError(
      'payload_too_large',
      'The message is larger than the configured server.max_body_bytes',
      { status: 413 },
    );
  return invalidRequest(`Invalid WebSocket frame: ${error.message}`);
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
