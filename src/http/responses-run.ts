/**
 * A Responses turn without an HTTP reply to deliver to: background responses and WebSocket mode. It is
 * composed of the same building blocks as handleGeneration (stages, router, usage record, metrics) and
 * yields Responses stream events as objects: the upstream's own events on the OpenAI fast path (unknown
 * fields intact), the event builder's on every other provider.
 *
 * Failures before anything was produced (a stage refusing, every target failing) are thrown, so the
 * caller can answer them in its own way; failures after are events (response.failed, error).
 */

import { Cancellation } from '../core/cancellation.js';
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { GatewayError } from '../core/errors.js';
import { toGatewayError } from '../core/errors.js';
import type { Usage } from '../core/usage.js';
import { mergeUsage } from '../core/usage.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { errorEventFields } from '../dialects/openai-responses/openai-responses-error.js';
import { ResponsesEventBuilder } from '../dialects/openai-responses/openai-responses-event-builder.js';
import { builderOptions } from '../dialects/openai-responses/openai-responses-response.js';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { RequestContext, StageRun } from '../pipeline/stage.js';
import { beginStages, wrapWithStages } from '../pipeline/stage.js';
import type { UsageRecord } from '../pipeline/usage-recorder.js';
import { newUsageRecord, recordCaller } from '../pipeline/usage-recorder.js';
import { applyAliasDefaults } from '../routing/apply-alias-defaults.js';
import type { Route } from '../routing/model-catalog.js';
import type { RouteOutcome } from '../routing/router.js';
import { attemptsOf } from '../routing/router.js';
import { countOutput, finishRequest, RELAYED_EVENT_CHARS } from './finish-request.js';
import type { WireEvent } from './responses-relay-reader.js';
import { RelayedResponsesReader } from './responses-relay-reader.js';
import type { ResponsesTurn } from './responses-turn.js';
import { encodeContextOf } from './responses-turn.js';
import { takeFallbackModels } from './take-fallback-models.js';

export interface HeadlessRunOptions {
  gateway: Gateway;
  identity: CallerIdentity;
  turn: ResponsesTurn;
  route: Route;
  requestId: string;
  clientHeaders: Record<string, string | undefined>;
  signal: AbortSignal;
  /** Background: events report the Junction id (and background=true) even from a relayed upstream. */
  asBackground?: boolean;
}

/** The route a Responses request names, as handleGeneration resolves it (x-llm-provider, models, alias defaults). */
export function resolveResponsesRoute(
  gateway: Gateway,
  turn: ResponsesTurn,
  clientHeaders: Record<string, string | undefined>,
): Route {
  const { decoded } = turn;
  const fallbackModels = takeFallbackModels(decoded);
  const provider = clientHeaders['x-llm-provider'];
  const route = gateway.catalog.resolve(decoded.canonical.model, {
    ...(provider ? { provider } : {}),
    ...(fallbackModels ? { fallbackModels } : {}),
  });
  if (route.alias) applyAliasDefaults(decoded, route.alias.defaults, 'openai-responses');
  return route;
}

export async function* runResponsesTurn(options: HeadlessRunOptions): AsyncGenerator<WireEvent> {
  const { gateway, turn, route, requestId } = options;
  const { decoded } = turn;
  // Events are what a headless turn delivers, so the upstream is always asked to stream; `background` is
  // Junction's to run, never the upstream's.
  const { background: _background, ...body } = decoded.body;
  decoded.body = { ...body, stream: true };
  decoded.canonical.stream = true;
  const started = performance.now();
  const record = newUsageRecord(requestId, 'openai-responses');
  recordCaller(record, options.identity);
  record.model = decoded.canonical.model;
  record.stream = true;
  const context: RequestContext = {
    requestId,
    dialect: openAIResponsesDialect,
    identity: options.identity,
    decoded,
    route,
    clientHeaders: options.clientHeaders,
    responseHeaders: {},
    relayAllowed: true,
    record,
  };
  let runs: StageRun[] = [];
  const cancel = new Cancellation();
  const unfollow = cancel.follow(options.signal);
  try {
    runs = await beginStages(gateway.stages, context);
    const answered = runs.find((run) => run.answer)?.answer;
    if (answered) {
      record.usage = yield* fromCanonical(wrapWithStages(runs, answered), options, record, started);
      return;
    }
    let outcome: RouteOutcome;
    try {
      outcome = await gateway.router.execute({
        dialect: 'openai-responses',
        decoded,
        route,
        cancel,
        requestId,
        clientHeaders: options.clientHeaders,
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
    if (outcome.kind === 'relay') {
      record.fastPath = true;
      yield* fromRelay(outcome, options, record, started);
      record.usage = outcome.relayed.usage();
      return;
    }
    const events = wrapWithStages(runs, outcomeEvents(outcome));
    record.usage = yield* fromCanonical(events, options, record, started);
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record.status = error.status;
    record.failureClass = error.failureClass;
    throw error;
  } finally {
    unfollow();
    await finishRequest(gateway, runs, record, started, true, decoded.canonical);
  }
}

async function* fromCanonical(
  events: AsyncIterable<CanonicalEvent>,
  options: HeadlessRunOptions,
  record: UsageRecord,
  started: number,
): AsyncGenerator<WireEvent, Usage | undefined> {
  const builder = new ResponsesEventBuilder(builderOptions(encodeContextOf(options.turn, options.requestId)));
  let usage: Usage | undefined;
  try {
    for await (const event of events) {
      if (event.type === 'usage') usage = mergeUsage(usage, event.usage);
      else countOutput(record, event);
      if (record.ttftMs === undefined && (event.type === 'text-delta' || event.type === 'tool-call-start'))
        record.ttftMs = performance.now() - started;
      yield* builder.push(event);
    }
    yield* builder.finish();
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record.status = error.status;
    record.failureClass = error.failureClass;
    yield* builder.fail(error);
  }
  return usage;
}

async function* fromRelay(
  outcome: Extract<RouteOutcome, { kind: 'relay' }>,
  options: HeadlessRunOptions,
  record: UsageRecord,
  started: number,
): AsyncGenerator<WireEvent> {
  const { relayed } = outcome;
  const reader = new RelayedResponsesReader(
    relayed.headers['content-type']?.includes('text/event-stream') === true,
  );
  const adjust = (event: WireEvent): WireEvent =>
    options.asBackground ? asBackgroundEvent(event, options.turn) : event;
  let last = -1;
  try {
    for await (const chunk of relayed.body) {
      if (record.ttftMs === undefined) record.ttftMs = performance.now() - started;
      for (const event of reader.push(chunk)) {
        if (typeof event.sequence_number === 'number') last = event.sequence_number;
        record.outputSeen = (record.outputSeen ?? 0) + RELAYED_EVENT_CHARS;
        yield adjust(event);
      }
    }
    for (const event of reader.end()) yield adjust(event);
    // An upstream that answered with a whole JSON Response: its events, rebuilt.
    if (reader.events.length === 0 && reader.response) {
      for (const event of eventsFromResponse(reader.response)) yield adjust(event);
    }
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record.status = error.status;
    record.failureClass = error.failureClass;
    yield errorEvent(error, last + 1);
  }
}

/** The `error` stream event for a failure (WebSocket errors add the HTTP status, as OpenAI's do). */
export function errorEvent(error: GatewayError, sequenceNumber: number): WireEvent {
  return { type: 'error', sequence_number: sequenceNumber, ...errorEventFields(error) };
}

/** A relayed event as a background response reports it: Junction's id, background=true. */
function asBackgroundEvent(event: WireEvent, turn: ResponsesTurn): WireEvent {
  const response = event.response;
  if (typeof response !== 'object' || response === null) return event;
  return {
    ...event,
    response: { ...(response as Record<string, unknown>), id: turn.responseId, background: true },
  };
}

/**
 * Stream events for a finished Response that has none stored (a JSON answer): created, in_progress, each
 * output item added and done, then the terminal event its status calls for.
 */
export function eventsFromResponse(response: Record<string, unknown>): WireEvent[] {
  const output = Array.isArray(response.output) ? (response.output as Array<Record<string, unknown>>) : [];
  const events: WireEvent[] = [];
  let sequence = 0;
  const emit = (event: Record<string, unknown> & { type: string }): void => {
    events.push({ ...event, sequence_number: sequence++ });
  };
  const opening = { ...response, status: 'in_progress', output: [], usage: null };
  emit({ type: 'response.created', response: opening });
  emit({ type: 'response.in_progress', response: opening });
  output.forEach((item, index) => {
    emit({ type: 'response.output_item.added', output_index: index, item });
    emit({ type: 'response.output_item.done', output_index: index, item });
  });
  const terminal =
    response.status === 'incomplete'
      ? 'response.incomplete'
      : response.status === 'failed'
        ? 'response.failed'
        : response.status === 'completed'
          ? 'response.completed'
          : undefined;
  if (terminal) emit({ type: terminal, response });
  return events;
}

/** The routed stream as one iterable: the held-back first event, then the rest. */
async function* outcomeEvents(
  outcome: Extract<RouteOutcome, { kind: 'events' }>,
): AsyncGenerator<CanonicalEvent> {
  if (outcome.first) yield outcome.first;
  for (let next = await outcome.rest.next(); !next.done; next = await outcome.rest.next()) yield next.value;
}
