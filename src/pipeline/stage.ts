/**
 * Governance stages wrap every generation request, in one fixed order (src/pipeline/stages.ts).
 *
 * A stage's `begin` runs before routing, in order; it may refuse the request (throw a GatewayError: 401,
 * 429, a guardrail 400), rewrite it (system prompt), answer it without any provider (a cache hit), or
 * return a run that watches the answer. `wrapEvents` wrappers apply in stage order around the canonical
 * event stream; a stage that needs them turns the byte-relay fast path off for that request (it cannot
 * see relayed bytes as events). `end` runs once per begun stage, in reverse order, on success and on
 * failure; it must not throw (settle reservations, write the usage record).
 */
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { GatewayError } from '../core/errors.js';
import type { Usage } from '../core/usage.js';
import type { DecodedRequest, Dialect } from '../dialects/dialect.js';
import type { Route } from '../routing/model-catalog.js';
import type { CallerIdentity } from './authenticate.js';
import type { UsageRecord } from './usage-recorder.js';

export interface RequestContext {
  requestId: string;
  dialect: Dialect;
  identity: CallerIdentity;
  decoded: DecodedRequest;
  route: Route;
  /** Lower-cased client request headers. */
  clientHeaders: Record<string, string | undefined>;
  /** Headers every stage may add to the response (RateLimit-*, x-junction-cache, ...). */
  responseHeaders: Record<string, string>;
  /** False once a stage needs to see the answer as events: the request then takes the translated path. */
  relayAllowed: boolean;
  /** The usage record being built for this request; stages may fill cost and cache fields. */
  record: UsageRecord;
}

export interface StageEnd {
  status: number;
  usage?: Usage;
  /** Set when the request failed, before or after bytes were sent. */
  failureClass?: string;
  /** The upstream model that served the request, for pricing. */
  provider?: string;
  upstreamModel?: string;
}

export interface StageRun {
  /** Answer without calling a provider (cache hit). The first stage that answers wins. */
  answer?: AsyncIterable<CanonicalEvent>;
  wrapEvents?(events: AsyncIterable<CanonicalEvent>): AsyncIterable<CanonicalEvent>;
  end?(result: StageEnd): Promise<void> | void;
  /**
   * Headers that need the finished answer (x-junction-cost-usd). A non-streamed response carries them
   * as headers; a stream, whose headers are long gone, as HTTP trailers named in `trailers`.
   */
  finalHeaders?(usage: Usage | undefined): Record<string, string>;
  /** Names of the `finalHeaders` a stream declares as trailers (`Trailer:`) before its body. */
  trailers?: readonly string[];
}

export interface Stage {
  readonly name: string;
  begin(context: RequestContext): Promise<StageRun | undefined> | StageRun | undefined;
}

/**
 * Runs every stage's begin in order; on a throw, ends the stages already begun (reverse order) and rethrows.
 * Most stages answer synchronously (nothing configured for this caller), and then so does this: the
 * result is a promise only once a stage's is, which saves the promises and microtask hops of an async
 * function on every request.
 */
export function beginStages(
  stages: readonly Stage[],
  context: RequestContext,
): StageRun[] | Promise<StageRun[]> {
  const runs: StageRun[] = [];
  try {
    for (let i = 0; i < stages.length; i++) {
      const begun = stages[i]!.begin(context);
      if (begun instanceof Promise) return beginRest(stages, context, runs, i, begun);
      if (begun) {
        runs.push(begun);
        if (begun.answer) break;
      }
    }
  } catch (error) {
    return abandon(runs, error);
  }
  return runs;
}

/** beginStages from the first stage that answered with a promise. */
async function beginRest(
  stages: readonly Stage[],
  context: RequestContext,
  runs: StageRun[],
  from: number,
  pending: Promise<StageRun | undefined>,
): Promise<StageRun[]> {
  try {
    let begun = await pending;
    for (let i = from; ; ) {
      if (begun) {
        runs.push(begun);
        if (begun.answer) return runs;
      }
      if (++i >= stages.length) return runs;
      const next = stages[i]!.begin(context);
      begun = next instanceof Promise ? await next : next;
    }
  } catch (error) {
    return abandon(runs, error);
  }
}

async function abandon(runs: readonly StageRun[], error: unknown): Promise<never> {
  const failure = error as Partial<GatewayError>;
  await endStages(runs, { status: failure.status ?? 500, failureClass: failure.failureClass ?? 'internal' });
  throw error;
}

/** Ends every run in reverse order; a promise only once a run's end is one. */
export function endStages(runs: readonly StageRun[], result: StageEnd): Promise<void> | undefined {
  for (let i = runs.length - 1; i >= 0; i--) {
    const ended = endOne(runs[i]!, result);
    if (ended) return endRest(runs, result, i, ended);
  }
  return undefined;
}

async function endRest(
  runs: readonly StageRun[],
  result: StageEnd,
  at: number,
  pending: Promise<void>,
): Promise<void> {
  await pending.catch(() => {});
  for (let i = at - 1; i >= 0; i--) await endOne(runs[i]!, result)?.catch(() => {});
}

/** A run's end, never throwing: a stage's end must not throw, and one that does must not keep the others from settling. */
function endOne(run: StageRun, result: StageEnd): Promise<void> | undefined {
  try {
    const ended = run.end?.(result);
    return ended instanceof Promise ? ended : undefined;
  } catch {
    return undefined;
  }
}

export function wrapWithStages(
  runs: readonly StageRun[],
  events: AsyncIterable<CanonicalEvent>,
): AsyncIterable<CanonicalEvent> {
  let wrapped = events;
  for (const run of runs) if (run.wrapEvents) wrapped = run.wrapEvents(wrapped);
  return wrapped;
}

/** Every run's final headers for the finished answer (later stages win on a clash), added to `headers`. */
export function finalHeaders(
  runs: readonly StageRun[],
  usage: Usage | undefined,
  headers: Record<string, string> = {},
): Record<string, string> {
  for (const run of runs) {
    if (!run.finalHeaders) continue;
    try {
      Object.assign(headers, run.finalHeaders(usage));
    } catch {
      // A header is informational; failing to compute one must not fail the answer.
    }
  }
  return headers;
}

/** The trailer names a streamed answer declares up front. */
export function trailerNames(runs: readonly StageRun[]): string[] {
  const names: string[] = [];
  for (const run of runs) if (run.trailers) names.push(...run.trailers);
  return names;
}
