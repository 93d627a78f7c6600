/**
 * Background responses (`background: true`): the create call answers at once with a `queued` Response;
 * the turn runs detached from the client's connection and its result lands in the store. Events are kept
 * in memory while it runs, so `GET /v1/responses/{id}?stream=true` (and a create with `stream: true`)
 * can follow it live; afterwards the stored events are replayed.
 *
 * Cancel (`POST /v1/responses/{id}/cancel`) is a conditional update of the stored status (queued or
 * in_progress -> cancelled), so it works from any node; the node running the turn aborts it at once when
 * the cancel came to it, and within a second otherwise (it watches the stored status). The final write is
 * conditional too, so a cancelled response stays cancelled.
 */
import type { Logger } from 'pino';
import { GatewayError, invalidRequest, toGatewayError } from '../core/errors.js';
import { responseErrorCode } from '../dialects/openai-responses/openai-responses-error.js';
import type { ResponseObject } from '../dialects/openai-responses/openai-responses-response-object.js';
import { responseEnvelope } from '../dialects/openai-responses/openai-responses-response-object.js';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { Route } from '../routing/model-catalog.js';
import type { ResponseStore } from '../storage/response-store/response-store.js';
import type { WireEvent } from './responses-relay-reader.js';
import { isTerminalEvent } from './responses-relay-reader.js';
import { errorEvent, runResponsesTurn } from './responses-run.js';
import type { ResponsesTurn } from './responses-turn.js';
import { notFound, recordTurn } from './responses-turn.js';

const CANCEL_POLL_MS = 1_000;

interface LiveRun {
  ownerKey: string;
  events: WireEvent[];
  done: boolean;
  wake: Set<() => void>;
  abort: AbortController;
}

export interface StartOptions {
  identity: CallerIdentity;
  turn: ResponsesTurn;
  route: Route;
  requestId: string;
  clientHeaders: Record<string, string | undefined>;
}

export class BackgroundResponses {
  private readonly live = new Map<string, LiveRun>();

  constructor(
    private readonly gateway: Gateway,
    private readonly store: ResponseStore,
    private readonly log: Logger,
  ) {}

  /** Stores the queued response and starts the turn; returns the queued Response. */
  async start(options: StartOptions): Promise<ResponseObject> {
    const { turn } = options;
    const queued = responseEnvelope({
      id: turn.responseId,
      createdAt: turn.createdAt,
      model: turn.decoded.canonical.model,
      status: 'queued',
      request: turn.decoded.request,
    });
    await this.store.put({
      id: turn.responseId,
      ownerKey: turn.ownerKey,
      createdAt: turn.createdAt,
      status: 'queued',
      response: queued,
      inputItems: [...turn.history, ...turn.inputItems],
      outputItems: [],
      ...(turn.conversationId !== undefined ? { conversationId: turn.conversationId } : {}),
    });
    const run: LiveRun = {
      ownerKey: turn.ownerKey,
      events: [],
      done: false,
      wake: new Set(),
      abort: new AbortController(),
    };
    this.live.set(turn.responseId, run);
    void this.drive(run, options, queued);
    return queued;
  }

  /** The live events of a running response of this owner (replayed from the start), or undefined. */
  follow(id: string, ownerKey: string, startingAfter?: number): AsyncIterable<WireEvent> | undefined {
    const run = this.live.get(id);
    if (!run || run.ownerKey !== ownerKey) return undefined;
    return followRun(run, startingAfter);
  }

  /** Cancels a queued or running background response of this owner; returns the Response as it now is. */
  async cancel(id: string, ownerKey: string): Promise<Record<string, unknown>> {
    const record = await this.store.get(id, ownerKey);
    if (!record) throw notFound('Response', id);
    if (record.response.background !== true) {
      throw invalidRequest('Only responses created with background=true can be cancelled.', 'response_id');
    }
    const cancelled = { ...record.response, status: 'cancelled' };
    const result = await this.store.update(
      id,
      ownerKey,
      { status: 'cancelled', response: cancelled },
      { ifStatus: ['queued', 'in_progress'] },
    );
    if (result.kind === 'not_found') throw notFound('Response', id);
    this.live.get(id)?.abort.abort();
    if (result.kind === 'updated') return cancelled;
    if (result.record.status === 'cancelled') return result.record.response;
    throw new GatewayError(
      'invalid_request',
      `Response '${id}' is already ${result.record.status} and cannot be cancelled.`,
      {
        param: 'response_id',
      },
    );
  }

  /** Aborts every running turn (server shutdown). */
  abortAll(): void {
    for (const run of this.live.values()) run.abort.abort();
  }

  private async drive(run: LiveRun, options: StartOptions, queued: ResponseObject): Promise<void> {
    const { turn } = options;
    const id = turn.responseId;
    const watch = setInterval(() => {
      this.store.get(id, turn.ownerKey).then(
        (record) => {
          if (record?.status === 'cancelled') run.abort.abort();
        },
        () => undefined,
      );
    }, CANCEL_POLL_MS);
    watch.unref();
    let snapshot: Record<string, unknown> = queued;
    let finished = false;
    const push = (event: WireEvent): void => {
      run.events.push(event);
      for (const wake of run.wake) wake();
    };
    const fail = async (error: GatewayError): Promise<void> => {
      if (run.abort.signal.aborted) return; // cancelled: the stored status already says so
      const failed = {
        ...snapshot,
        status: 'failed',
        error: { code: responseErrorCode(error.failureClass), message: error.message },
      };
      await recordTurn(this.store, turn, failed, { streamEvents: run.events, ifRunning: true });
    };
    try {
      const events = runResponsesTurn({
        gateway: this.gateway,
        identity: options.identity,
        turn,
        route: options.route,
        requestId: options.requestId,
        clientHeaders: options.clientHeaders,
        signal: run.abort.signal,
        asBackground: true,
      });
      for await (const event of events) {
        // After a cancel the run only winds down; what it says about that is not the response's outcome.
        if (run.abort.signal.aborted && (isTerminalEvent(event) || event.type === 'error')) break;
        const response = event.response;
        if (typeof response === 'object' && response !== null) snapshot = response as Record<string, unknown>;
        if (event.type === 'response.in_progress') {
          await this.store
            .update(
              id,
              turn.ownerKey,
              { status: 'in_progress', response: snapshot },
              { ifStatus: ['queued'] },
            )
            .catch(() => undefined);
        }
        if (isTerminalEvent(event)) {
          finished = true;
          // Stored before anyone following sees the end, like a foreground response.
          await recordTurn(this.store, turn, snapshot, {
            streamEvents: [...run.events, event],
            ifRunning: true,
          });
        } else if (event.type === 'error' && !finished) {
          finished = true;
          push(event);
          const message = typeof event.message === 'string' ? event.message : 'The response failed';
          await fail(new GatewayError('internal', message));
          continue;
        }
        push(event);
      }
      if (!finished && !run.abort.signal.aborted)
        await fail(new GatewayError('transient', 'The upstream stream ended before the response finished'));
    } catch (thrown) {
      const error = toGatewayError(thrown);
      if (!run.abort.signal.aborted) push(errorEvent(error, run.events.length));
      await fail(error).catch((e: unknown) =>
        this.log.warn({ err: e, responseId: id }, 'background: could not store the failure'),
      );
    } finally {
      clearInterval(watch);
      run.done = true;
      for (const wake of run.wake) wake();
      this.live.delete(id);
    }
  }
}

async function* followRun(run: LiveRun, startingAfter: number | undefined): AsyncGenerator<WireEvent> {
  let index = 0;
  for (;;) {
    while (index < run.events.length) {
      const event = run.events[index++]!;
      const sequence = typeof event.sequence_number === 'number' ? event.sequence_number : index - 1;
      if (startingAfter === undefined || sequence > startingAfter) yield event;
    }
    if (run.done) return;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        run.wake.delete(wake);
        resolve();
      };
      run.wake.add(wake);
    });
  }
}
