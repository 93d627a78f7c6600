/**
 * The one request path every generation surface shares: authenticate, decode, resolve, execute the
 * route, deliver (relay, stream or collected JSON) and record usage. Dialects only translate.
 */

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asBuffer } from '../core/as-buffer.js';
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { CanonicalRequest } from '../core/canonical-request.js';
import { ResponseCollector } from '../core/collect-response.js';
import { toGatewayError } from '../core/errors.js';
import type { ReadyIterator } from '../core/ready-iterator.js';
import { forEachReady, nextReady } from '../core/ready-iterator.js';
import type { Usage } from '../core/usage.js';
import { mergeUsage } from '../core/usage.js';
import type { DecodedRequest, Dialect, EncodeContext } from '../dialects/dialect.js';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { RequestContext, StageRun } from '../pipeline/stage.js';
import { beginStages, finalHeaders, trailerNames, wrapWithStages } from '../pipeline/stage.js';
import type { UsageRecord } from '../pipeline/usage-recorder.js';
import { newUsageRecord, recordCaller } from '../pipeline/usage-recorder.js';
import { isEventStream } from '../providers/provider-adapter.js';
import { applyAliasDefaults } from '../routing/apply-alias-defaults.js';
import type { Route } from '../routing/model-catalog.js';
import type { AttemptRecord, RouteOutcome } from '../routing/router.js';
import { attemptsOf } from '../routing/router.js';
import { lowerCaseHeaders } from './client-headers.js';
import { countOutput, finishRequest, RELAYED_EVENT_CHARS } from './finish-request.js';
import { followClient } from './follow-client.js';
import { answerFailure } from './send-error.js';
import { takeFallbackModels } from './take-fallback-models.js';

/** A stream's gathered text is written at once past this size, so a burst never piles up unbounded. */
const FLUSH_CHARS = 16_384;

/**
 * Where a relayed answer carries the upstream's own request id (OpenAI and Azure send `x-request-id`):
 * `x-request-id` stays the gateway's, the id in its log line and usage record.
 */
const UPSTREAM_REQUEST_ID_HEADER = 'x-junction-upstream-request-id';

type Relayed = Extract<RouteOutcome, { kind: 'relay' }>['relayed'];

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * Surface-specific steps around the shared path, for surfaces that keep state (the Responses API):
 * everything else (stages, routing, delivery, usage) stays the one path above.
 */
export interface GenerationHooks {
  /**
   * After authentication, decoding and route resolution, before the stages: may rewrite `decoded` in
   * place (history from stored state) and return a narrower route.
   */
  prepare?(context: {
    identity: CallerIdentity;
    decoded: DecodedRequest;
    route: Route;
    requestId: string;
  }): Promise<Route | undefined>;
  /** Sees the answer's events after the stages, without turning the byte relay off. */
  wrapEvents?(events: AsyncIterable<CanonicalEvent>): AsyncIterable<CanonicalEvent>;
  /** Sees the relayed bytes of the fast path. */
  wrapRelayBody?(body: AsyncIterable<Uint8Array>, headers: Record<string, string>): AsyncIterable<Uint8Array>;
}

/**
 * One generation request as the shared path needs it, whoever parsed it: the generation lane on the raw
 * server (generation-lane.ts) or a Fastify route (`fromFastify`). Every answer is written on `raw`.
 */
export interface GenerationExchange {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  readonly body: unknown;
  readonly raw: ServerResponse;
  readonly log: { error(object: object, message: string): void };
  /** `performance.now()` when the request was taken, where the reader already took it (the lane). */
  readonly started?: number;
}

/** A Fastify route's request as an exchange; the reply is hijacked, as the shared path writes on `raw`. */
export function fromFastify(request: FastifyRequest, reply: FastifyReply): GenerationExchange {
  reply.hijack();
  return { id: request.id, headers: request.headers, body: request.body, raw: reply.raw, log: request.log };
}

export async function handleGeneration(
  gateway: Gateway,
  dialect: Dialect,
  request: GenerationExchange,
  hooks?: GenerationHooks,
): Promise<void> {
  const started = request.started ?? performance.now();
  const raw = request.raw;
  const record = newUsageRecord(request.id, dialect.name);
  // Every answer's headers: the request id first, then what routing and the stages add.
  const responseHeaders: Record<string, string> = { 'x-request-id': request.id };
  const { cancel, done } = followClient(gateway, raw);
  let runs: StageRun[] = [];
  let canonical: CanonicalRequest | undefined;
  try {
    // Awaited only when a promise: a key known in memory is answered synchronously.
    const authenticated = gateway.authenticate(request.headers);
    const identity = authenticated instanceof Promise ? await authenticated : authenticated;
    recordCaller(record, identity);
    const decoded = dialect.decodeRequest(request.body);
    canonical = decoded.canonical;
    record.model = decoded.canonical.model;
    record.stream = decoded.canonical.stream;
    const fallbackModels = takeFallbackModels(decoded);
    const headerProvider = request.headers['x-llm-provider'];
    const resolved = gateway.catalog.resolve(decoded.canonical.model, {
      ...(typeof headerProvider === 'string' && headerProvider !== '' ? { provider: headerProvider } : {}),
      ...(fallbackModels ? { fallbackModels } : {}),
    });
    const route =
      (hooks?.prepare
        ? await hooks.prepare({ identity, decoded, route: resolved, requestId: request.id })
        : undefined) ?? resolved;
    // After `prepare`: a continued Responses turn rebuilds its canonical request and relay body there.
    if (resolved.alias) applyAliasDefaults(decoded, resolved.alias.defaults, dialect.name);
    const clientHeaders = lowerCaseHeaders(request.headers);
    const context: RequestContext = {
      requestId: request.id,
      dialect,
      identity,
      decoded,
      route,
      clientHeaders,
      responseHeaders,
      relayAllowed: true,
      record,
    };
    const begun = beginStages(gateway.stages, context);
    runs = begun instanceof Promise ? await begun : begun;
    const encodeContext: EncodeContext = { model: decoded.canonical.model, requestId: request.id };
    const answered = runs.find((run) => run.answer)?.answer;
    let events: AsyncIterable<CanonicalEvent>;
    if (answered) {
      events = answered;
    } else {
      let outcome: RouteOutcome;
      try {
        outcome = await gateway.router.execute({
          dialect: dialect.name,
          decoded,
          route,
          cancel,
          requestId: request.id,
          clientHeaders,
          allowRelay: context.relayAllowed && !runs.some((run) => run.wrapEvents),
        });
      } catch (error) {
        record.attempts = attemptsOf(error).length;
        throw error;
      }
      record.attempts = outcome.attempts.length;
      record.provider = outcome.target.provider.name;
      record.upstreamModel = outcome.target.model;
      if (outcome.usageNotAsked) record.usageNotAsked = true;
      setRouteHeaders(responseHeaders, outcome);
      if (outcome.kind === 'relay') {
        record.fastPath = true;
        if (hooks?.wrapRelayBody) {
          const { relayed } = outcome;
          outcome = {
            ...outcome,
            relayed: { ...relayed, body: hooks.wrapRelayBody(relayed.body, relayed.headers) },
          };
        }
        const relayed = relay(
          raw,
          responseHeaders,
          dialect,
          decoded,
          encodeContext,
          outcome,
          started,
          record,
          runs,
        );
        record.usage = relayed instanceof Promise ? await relayed : relayed;
        return;
      }
      events = outcomeEvents(outcome);
    }
    events = wrapWithStages(runs, events);
    if (hooks?.wrapEvents) events = hooks.wrapEvents(events);
    if (decoded.canonical.stream) {
      record.usage = await streamEvents(
        raw,
        responseHeaders,
        dialect,
        decoded,
        encodeContext,
        events,
        started,
        record,
        runs,
      );
    } else {
      record.usage = await respondCollected(
        raw,
        responseHeaders,
        dialect,
        encodeContext,
        events,
        runs,
        record,
      );
      record.ttftMs = undefined;
    }
  } catch (thrown) {
    answerFailure(raw, dialect, thrown, record, responseHeaders, request.log);
  } finally {
    done();
    const finished = finishRequest(gateway, runs, record, started, record.stream, canonical);
    if (finished) await finished;
  }
}

/** Settles synchronously when a whole non-stream answer is already at hand (the usual case). */
function relay(
  raw: ServerResponse,
  responseHeaders: Record<string, string>,
  dialect: Dialect,
  decoded: DecodedRequest,
  context: EncodeContext,
  outcome: Extract<RouteOutcome, { kind: 'relay' }>,
  started: number,
  record: UsageRecord,
  runs: readonly StageRun[],
): Usage | undefined | Promise<Usage | undefined> {
  const { relayed } = outcome;
  const headers = relayHeaders(responseHeaders, relayed.headers);
  if (!isEventStream(relayed)) {
    return relayWhole(raw, dialect, relayed, headers, started, record, runs);
  }
  return relayStream(raw, dialect, decoded, context, relayed, headers, started, record, runs);
}

async function relayStream(
  raw: ServerResponse,
  dialect: Dialect,
  decoded: DecodedRequest,
  context: EncodeContext,
  relayed: Relayed,
  headers: Record<string, string>,
  started: number,
  record: UsageRecord,
  runs: readonly StageRun[],
): Promise<Usage | undefined> {
  // Stage headers that need the finished answer (cost) follow a stream as HTTP trailers.
  const trailers = relayed.headers['content-length'] === undefined ? trailerNames(runs) : [];
  if (trailers.length > 0) headers.trailer = trailers.join(', ');
  raw.writeHead(relayed.status, headers);
  let first = true;
  let last: Uint8Array | undefined;
  try {
    await forEachReady(relayed.body, (chunk) => {
      if (first) {
        record.ttftMs = performance.now() - started;
        first = false;
      }
      record.outputSeen = (record.outputSeen ?? 0) + RELAYED_EVENT_CHARS * countEvents(chunk);
      last = chunk;
      return raw.write(chunk) ? undefined : drained(raw);
    });
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record.status = error.status;
    record.failureClass = error.failureClass;
    // Bytes are already with the client, so no failover: a stream ends with the dialect's error event
    // (after a blank line, should the break have cut an event in half), never a silent truncation.
    if (!raw.destroyed) {
      const separator = last && endsEvent(last) ? '' : '\n\n';
      raw.write(separator + dialect.createStreamEncoder(context, decoded).error(error));
    }
  }
  const usage = relayed.usage();
  if (trailers.length > 0) raw.addTrailers(finalHeaders(runs, usage));
  raw.end();
  return usage;
}

/** The gateway's headers, then the upstream's, whose `x-request-id` moves to its own name. */
function relayHeaders(
  responseHeaders: Record<string, string>,
  upstream: Record<string, string>,
): Record<string, string> {
  // Object.assign, not `{ ...responseHeaders }`: adding keys to a spread copy takes V8's slow path on
  // Node 20 (about 1.9 µs here against 0.1 µs; bench/profile-findings.md, item 22).
  const headers: Record<string, string> = Object.assign({}, responseHeaders);
  for (const name in upstream)
    headers[name === 'x-request-id' ? UPSTREAM_REQUEST_ID_HEADER : name] = upstream[name]!;
  return headers;
}

/**
 * A non-stream relayed answer is one small JSON body: it is gathered and written with its headers in one
 * `end` (one syscall, a content-length instead of chunked framing), which profiling showed is measurably
 * cheaper than writing chunks as they come. Streams are never gathered. The router has already read the
 * body to its end inside the attempt (so a break in it failed over), so it is at hand and written
 * synchronously, without a promise.
 */
function relayWhole(
  raw: ServerResponse,
  dialect: Dialect,
  relayed: Relayed,
  headers: Record<string, string>,
  started: number,
  record: UsageRecord,
  runs: readonly StageRun[],
): Usage | undefined | Promise<Usage | undefined> {
  const iterator = relayed.body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  try {
    for (let next = nextReady(iterator); next !== undefined; next = nextReady(iterator)) {
      if (next.done) return writeWhole(raw, relayed, chunks, headers, started, record, runs);
      chunks.push(next.value);
    }
  } catch (thrown) {
    return refuseWhole(raw, dialect, relayed, headers, record, thrown);
  }
  return gatherRest(iterator, chunks).then(
    () => writeWhole(raw, relayed, chunks, headers, started, record, runs),
    (thrown: unknown) => refuseWhole(raw, dialect, relayed, headers, record, thrown),
  );
}

async function gatherRest(iterator: AsyncIterator<Uint8Array>, chunks: Uint8Array[]): Promise<void> {
  for (;;) {
    const next = nextReady(iterator) ?? (await iterator.next());
    if (next.done) return;
    chunks.push(next.value);
  }
}

function writeWhole(
  raw: ServerResponse,
  relayed: Relayed,
  chunks: Uint8Array[],
  headers: Record<string, string>,
  started: number,
  record: UsageRecord,
  runs: readonly StageRun[],
): Usage | undefined {
  record.ttftMs = performance.now() - started;
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const usage = relayed.usage();
  // `headers` is this answer's own copy (relayHeaders): completed in place rather than copied again.
  finalHeaders(runs, usage, headers);
  headers['content-length'] = String(body.byteLength);
  raw.writeHead(relayed.status, headers);
  raw.end(body);
  return usage;
}

/**
 * The body failed before anything was sent (the router read it whole, so only a surface's wrapper can fail
 * it now): the client gets a proper error answer, not half a body.
 */
function refuseWhole(
  raw: ServerResponse,
  dialect: Dialect,
  relayed: Relayed,
  headers: Record<string, string>,
  record: UsageRecord,
  thrown: unknown,
): Usage | undefined {
  const error = toGatewayError(thrown);
  record.status = error.status;
  record.failureClass = error.failureClass;
  const rendered = dialect.renderError(error, record.requestId);
  raw.writeHead(rendered.status, { ...headers, ...rendered.headers, 'content-type': 'application/json' });
  raw.end(JSON.stringify(rendered.body));
  return relayed.usage();
}

const DATA_FIELD = Buffer.from('data:');

function countEvents(chunk: Uint8Array): number {
  const bytes = asBuffer(chunk);
  let count = 0;
  for (let at = bytes.indexOf(DATA_FIELD); at !== -1; at = bytes.indexOf(DATA_FIELD, at + DATA_FIELD.length))
    count++;
  return count;
}

/** Whether relayed bytes end on an SSE event boundary (a blank line). */
function endsEvent(chunk: Uint8Array): boolean {
  const n = chunk.length;
  return (
    n >= 2 &&
    chunk[n - 1] === 0x0a &&
    (chunk[n - 2] === 0x0a || (n >= 3 && chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a))
  );
}

async function streamEvents(
  raw: ServerResponse,
  responseHeaders: Record<string, string>,
  dialect: Dialect,
  decoded: DecodedRequest,
  context: EncodeContext,
  events: AsyncIterable<CanonicalEvent>,
  started: number,
  record: UsageRecord,
  runs: readonly StageRun[],
): Promise<Usage | undefined> {
  const encoder = dialect.createStreamEncoder(context, decoded);
  const trailers = trailerNames(runs);
  raw.writeHead(200, {
    ...responseHeaders,
    ...SSE_HEADERS,
    ...(trailers.length > 0 ? { trailer: trailers.join(', ') } : {}),
  });
  let usage: Usage | undefined;
  // Events decoded from one upstream read arrive in one run of microtasks: their text is gathered until the
  // next tick and written once, instead of one chunked HTTP write (three socket buffers and their
  // bookkeeping) per event, at no cost in latency.
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    raw.write(text);
  };
  /** Queues `text`; false when the socket's buffer is full and the caller should wait for drain. */
  const write = (text: string): boolean => {
    if (text !== '') {
      if (pending === '') process.nextTick(flush);
      pending += text;
      if (pending.length >= FLUSH_CHARS) flush();
    }
    return !raw.writableNeedDrain;
  };
  try {
    await forEachReady(events, (event) => {
      if (event.type === 'usage') usage = mergeUsage(usage, event.usage);
      else countOutput(record, event);
      if (
        record.ttftMs === undefined &&
        (event.type === 'text-delta' || event.type === 'tool-call-start' || event.type === 'reasoning-delta')
      ) {
        record.ttftMs = performance.now() - started;
      }
      return write(encoder.event(event)) ? undefined : drained(raw);
    });
    if (!write(encoder.end())) await drained(raw);
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record.status = error.status;
    record.failureClass = error.failureClass;
    // Mid-stream failure: end with the dialect's error event, never a silent truncation.
    if (!raw.destroyed) write(encoder.error(error));
  }
  flush();
  if (trailers.length > 0) raw.addTrailers(finalHeaders(runs, usage));
  raw.end();
  return usage;
}

async function respondCollected(
  raw: ServerResponse,
  responseHeaders: Record<string, string>,
  dialect: Dialect,
  context: EncodeContext,
  events: AsyncIterable<CanonicalEvent>,
  runs: readonly StageRun[],
  record: UsageRecord,
): Promise<Usage | undefined> {
  const collector = new ResponseCollector();
  await forEachReady(events, (event) => {
    countOutput(record, event);
    collector.add(event);
  });
  const body = JSON.stringify(dialect.encodeResponse(collector.response, context));
  raw.writeHead(200, {
    ...responseHeaders,
    ...finalHeaders(runs, collector.response.usage),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  raw.end(body);
  return collector.response.usage;
}

/** The route headers every answer carries: where it went and how many attempts it took. */
export function setRouteHeaders(
  headers: Record<string, string>,
  outcome: {
    target: { provider: { name: string }; model: string };
    attempts: AttemptRecord[];
    warnings: string[];
  },
): void {
  headers['x-junction-provider'] = outcome.target.provider.name;
  headers['x-junction-model'] = outcome.target.model;
  headers['x-junction-attempts'] = String(outcome.attempts.length);
  // The messages contain commas, so they are joined with "; " rather than as a comma-separated list.
  if (outcome.warnings.length > 0) headers['x-junction-warning'] = outcome.warnings.join('; ');
}

function drained(raw: ServerResponse): Promise<void> {
  // A write to a response whose client is gone returns false, but neither 'drain' nor 'close' will come
  // again: waiting would hold the request (its slots, its usage record) forever.
  if (raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}

/**
 * The routed stream as one iterable: the held-back first event, then the rest. An early stop reaches the
 * rest, which cancels the upstream call and frees its slot.
 */
function outcomeEvents(outcome: Extract<RouteOutcome, { kind: 'events' }>): AsyncIterable<CanonicalEvent> {
  let first = outcome.first;
  const { rest } = outcome;
  const iterator: ReadyIterator<CanonicalEvent> = {
    next: () => {
      if (first === undefined) return rest.next();
      const value = first;
      first = undefined;
      return Promise.resolve({ done: false, value });
    },
    nextSync: () => {
      if (first === undefined) return nextReady(rest);
      const value = first;
      first = undefined;
      return { done: false, value };
    },
    return: async () => {
      first = undefined;
      await rest.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
