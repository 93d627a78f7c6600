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
 *
 * A node never leaves a response running forever: at shutdown it stores its running responses as failed,
 * and while running it writes a heartbeat into the stored record. A queued or in_progress background
 * response whose heartbeat is older than `[store] abandoned_after` (its node died) is stored as failed by
 * whichever node reads it next.
 */
import type { Logger } from 'pino';
import { GatewayError, invalidRequest, toGatewayError } from '../core/errors.js';
import { responseErrorCode } from '../dialects/openai-responses/openai-responses-error.js';
import type { ResponseObject } from '../dialects/openai-responses/openai-responses-response-object.js';
import { responseEnvelope } from '../dialects/openai-responses/openai-responses-response-object.js';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { Route } from '../routing/model-catalog.js';
import type {
  ResponseStore,
  StoredResponse,
  StoredResponseStatus,
} from '../storage/response-store/response-store.js';
import type { WireEvent } from './responses-relay-reader.js';
import { isTerminalEvent } from './responses-relay-reader.js';
import { errorEvent, runResponsesTurn } from './responses-run.js';
import type { ResponsesTurn } from './responses-turn.js';
import { notFound, recordTurn } from './responses-turn.js';

const CANCEL_POLL_MS = 1_000;
/** Heartbeats per `abandoned_after`: a few missed beats (a GC pause, a slow store) are not death. */
const BEATS_PER_WINDOW = 6;

export const SHUTDOWN_MESSAGE = 'The gateway shut down before this background response finished';
export const ABANDONED_MESSAGE =
  'The gateway instance running this background response stopped before it finished';

const RUNNING: readonly StoredResponseStatus[] = ['queued', 'in_progress'];

/** The abort reason at shutdown, telling it apart from a cancel. */
class Shutdown extends Error {}

function isShutdown(run: LiveRun): boolean {
  return run.abort.signal.reason instanceof Shutdown;
}

function unfinishedAtShutdown(): GatewayError {
  return new GatewayError('transient', SHUTDOWN_MESSAGE);
}

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
  private readonly running = new Set<Promise<void>>();
  private readonly heartbeatMs: number;

  constructor(
    private readonly gateway: Gateway,
    private readonly store: ResponseStore,
    private readonly log: Logger,
    private readonly abandonedAfterMs: number,
  ) {
    this.heartbeatMs = Math.max(100, Math.floor(abandonedAfterMs / BEATS_PER_WINDOW));
    // At shutdown running responses may finish within the grace; after it they are stored as failed.
    gateway.inFlight.addDrainable({
      drain: () => Promise.allSettled([...this.running]).then(() => undefined),
      stop: () => {
        void this.abortAll();
      },
    });
  }

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
      meta: { heartbeatAt: Date.now() },
    });
    const run: LiveRun = {
      ownerKey: turn.ownerKey,
      events: [],
      done: false,
      wake: new Set(),
      abort: new AbortController(),
    };
    this.live.set(turn.responseId, run);
    const driving = this.drive(run, options, queued);
    this.running.add(driving);
    void driving.finally(() => this.running.delete(driving));
    return queued;
  }

  /**
   * The stored record as it stands: a queued or in_progress background response that no node has
   * heartbeaten for `abandoned_after` is stored as failed first (the condition keeps a result or a
   * cancel that won the race).
   */
  async settleAbandoned(record: StoredResponse): Promise<StoredResponse> {
    if (!RUNNING.includes(record.status)) return record;
    if (record.response.background !== true || this.live.has(record.id)) return record;
    const beat = record.meta?.heartbeatAt;
    const lastSign = typeof beat === 'number' ? beat : record.createdAt * 1000;
    if (Date.now() - lastSign < this.abandonedAfterMs) return record;
    const failed = {
      ...record.response,
      status: 'failed',
      error: { code: 'server_error', message: ABANDONED_MESSAGE },
    };
    const result = await this.store.update(
      record.id,
      record.ownerKey,
      { status: 'failed', response: failed },
      { ifStatus: RUNNING },
    );
    if (result.kind === 'not_found') return record;
    if (result.kind === 'updated')
      this.log.warn(
        { responseId: record.id, heartbeatAt: lastSign },
        'background: abandoned response failed',
      );
    return result.record;
  }

  /** The live events of a running response of this owner (replayed from the start), or undefined. */
  follow(id: string, ownerKey: string, startingAfter?: number): AsyncIterable<WireEvent> | undefined {
    const run = this.live.get(id);
    if (!run || run.ownerKey !== ownerKey) return undefined;
    return followRun(run, startingAfter);
  }

  /** Cancels a queued or running background response of this owner; returns the Response as it now is. */
  async cancel(id: string, ownerKey: string): Promise<Record<string, unknown>> {
    const found = await this.store.get(id, ownerKey);
    if (!found) throw notFound('Response', id);
    const record = await this.settleAbandoned(found);
    if (record.response.background !== true) {
      throw invalidRequest('Only responses created with background=true can be cancelled.', 'response_id');
    }
    const cancelled = { ...record.response, status: 'cancelled' };
    const result = await this.store.update(
      id,
      ownerKey,
      { status: 'cancelled', response: cancelled },
      { ifStatus: RUNNING },
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

  /** Server shutdown: aborts every running turn and waits until each is stored as failed. */
  async abortAll(): Promise<void> {
    for (const run of this.live.values()) run.abort.abort(new Shutdown(SHUTDOWN_MESSAGE));
    await Promise.allSettled([...this.running]);
  }

  private async drive(run: LiveRun, options: StartOptions, queued: ResponseObject): Promise<void> {
    const { turn } = options;
    const id = turn.responseId;
    // This run's writes go one at a time: a store update rewrites the record from a read, so two at
    // once could put back what the other changed (a heartbeat undoing the in_progress snapshot).
    let writing: Promise<unknown> = Promise.resolve();
    const serial = <T>(write: () => Promise<T>): Promise<T> => {
      const next = writing.then(write, write);
      writing = next.catch(() => undefined);
      return next;
    };
    // Watches the stored status for a cancel from another node, and beats the heartbeat; the beat is a
    // conditional update, so it also sees a cancel (or another node's verdict) and never overwrites one.
    let lastBeat = Date.now();
    const watch = setInterval(
      () => {
        const beat = Date.now() - lastBeat >= this.heartbeatMs;
        const check = beat
          ? serial(() =>
              this.store.update(
                id,
                turn.ownerKey,
                { meta: { heartbeatAt: Date.now() } },
                { ifStatus: RUNNING },
              ),
            ).then((result) => (result.kind === 'not_found' ? undefined : result.record))
          : this.store.get(id, turn.ownerKey);
        if (beat) lastBeat = Date.now();
        check.then(
          (record) => {
            if (record && !RUNNING.includes(record.status)) run.abort.abort();
          },
          () => undefined,
        );
      },
      Math.min(CANCEL_POLL_MS, this.heartbeatMs),
    );
    watch.unref();
    let snapshot: Record<string, unknown> = queued;
    let finished = false;
    const push = (event: WireEvent): void => {
      run.events.push(event);
      for (const wake of run.wake) wake();
    };
    const fail = async (error: GatewayError): Promise<void> => {
      if (isShutdown(run)) error = unfinishedAtShutdown();
      // Cancelled: the stored status already says so.
      else if (run.abort.signal.aborted) return;
      const failed = {
        ...snapshot,
        status: 'failed',
        error: { code: responseErrorCode(error.failureClass), message: error.message },
      };
      await serial(() => recordTurn(this.store, turn, failed, { streamEvents: run.events, ifRunning: true }));
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
          const running = snapshot;
          await serial(() =>
            this.store.update(
              id,
              turn.ownerKey,
              { status: 'in_progress', response: running },
              { ifStatus: ['queued'] },
            ),
          ).catch(() => undefined);
        }
        if (isTerminalEvent(event)) {
          finished = true;
          // Stored before anyone following sees the end, like a foreground response.
          const final = snapshot;
          await serial(() =>
            recordTurn(this.store, turn, final, { streamEvents: [...run.events, event], ifRunning: true }),
          );
        } else if (event.type === 'error' && !finished) {
          finished = true;
          push(event);
          const message = typeof event.message === 'string' ? event.message : 'The response failed';
          await fail(new GatewayError('internal', message));
          continue;
        }
        push(event);
      }
      if (!finished && (!run.abort.signal.aborted || isShutdown(run))) {
        const error = new GatewayError('transient', 'The upstream stream ended before the response finished');
        if (isShutdown(run)) push(errorEvent(unfinishedAtShutdown(), run.events.length));
        await fail(error);
      }
    } catch (thrown) {
      const error = toGatewayError(thrown);
      if (!run.abort.signal.aborted || isShutdown(run))
        push(errorEvent(isShutdown(run) ? unfinishedAtShutdown() : error, run.events.length));
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
