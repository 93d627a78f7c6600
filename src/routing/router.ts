/**
 * Executes a route: orders its targets by strategy (open circuits last), and for each target makes up to
 * 1 + retries attempts, each holding a concurrency slot and a rotated key, bounded by the first-byte
 * deadline. A target Junction itself knows cannot serve the request (a capability it lacks, or what its
 * provider's converter refuses) is skipped before any of that. It moves to the next target on failures
 * the policy names, stops at once on client errors, and only ever gives the caller a stream whose first
 * meaningful event (text, reasoning, tool call or finish) has already arrived, so nothing reaches the
 * client before a target has really started answering.
 */

import type { Cancellation } from '../core/cancellation.js';
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { ProviderRequest } from '../core/canonical-request.js';
import type { EmbeddingRequest, EmbeddingResult } from '../core/embeddings.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { ReadyIterator } from '../core/ready-iterator.js';
import { nextReady, nextReadyThen, readyOrWait } from '../core/ready-iterator.js';
import type { Usage } from '../core/usage.js';
import { addUsage, mergeUsage } from '../core/usage.js';
import type { DecodedRequest } from '../dialects/dialect.js';
import { inClientTerms } from '../dialects/locate-param.js';
import type { AttemptMetrics } from '../observability/metrics.js';
import type {
  CallContext,
  EmbeddingCapable,
  ProviderAdapter,
  RelayCapable,
  RelayedResponse,
  WireDialect,
} from '../providers/provider-adapter.js';
import { canRelay, isEventStream } from '../providers/provider-adapter.js';
import type { BackoffOptions } from './backoff.js';
import { DEFAULT_BACKOFF, retryDelayMs, sleep } from './backoff.js';
import { checkCapabilities } from './check-capabilities.js';
import { checkEmbeddingSupport } from './check-embedding-support.js';
import { nextWithin, settleWithin } from './guard-stream.js';
import type { Route, Target } from './model-catalog.js';
import type { OrderState, WeightedTarget } from './order-targets.js';
import { orderTargets } from './order-targets.js';
import type { ProviderRuntime } from './provider-runtime.js';
import type { PartialAnswer } from './resume-stream.js';
import { buildContinuation, trackPartial } from './resume-stream.js';
import type { RoutePolicy } from './route-policy.js';
import { shouldFailOver } from './route-policy.js';
import type { HealthRegistry, TargetHealth } from './target-health.js';

export interface AttemptRecord {
  target: string;
  status: number;
  failureClass?: string;
  durationMs: number;
}

/** A target skipped before anything was sent: the 400 it would have been, in the client's terms. */
export interface SkippedTarget {
  target: string;
  refusal: GatewayError;
}

interface Base {
  target: Target;
  attempts: AttemptRecord[];
  /** What the winning attempt's provider changed about the request (e.g. stripped parameters). */
  warnings: string[];
  /** The winning attempt's upstream was not asked to report usage (it refuses the field that asks). */
  usageNotAsked: boolean;
}

export type RouteOutcome =
  | (Base & { kind: 'relay'; relayed: RelayedResponse })
  | (Base & {
      kind: 'events';
      /** The first event, already pulled: the upstream has accepted the request. */
      first: CanonicalEvent | undefined;
      rest: AsyncIterator<CanonicalEvent>;
    });

export interface RouterDeps {
  runtimes: ReadonlyMap<string, ProviderRuntime>;
  health: HealthRegistry;
  metrics?: AttemptMetrics;
  backoff?: BackoffOptions;
  log?: (record: AttemptRecord, requestId: string) => void;
  /** Once per request whose route of several targets skipped any as unable to serve it. */
  skipped?: (skipped: readonly SkippedTarget[], requestId: string) => void;
}

export interface ExecuteOptions {
  dialect: WireDialect;
  decoded: DecodedRequest;
  route: Route;
  /** The request's cancellation (client gone, shutdown); each attempt's own cancellation follows it. */
  cancel: Cancellation;
  requestId: string;
  clientHeaders: Record<string, string | undefined>;
  /** False when a governance stage must see the answer as events (no byte relay). Default true. */
  allowRelay?: boolean;
}

/**
 * How an attempt on a target will be made, decided before anything is sent: the byte relay, or the
 * translated request (which the target must be able to take).
 */
type AttemptPlan =
  | { kind: 'relay'; provider: ProviderAdapter & RelayCapable }
  /** `prepared` is the provider's own `prepare(request)`, handed back to its `stream`. */
  | { kind: 'translate'; request: ProviderRequest; prepared: unknown };

export interface EmbedOptions {
  route: Route;
  request: EmbeddingRequest;
  /** The request's cancellation (client gone, shutdown). */
  cancel: Cancellation;
  requestId: string;
  clientHeaders: Record<string, string | undefined>;
}

export type EmbedOutcome = EmbeddingResult & {
  target: Target;
  attempts: AttemptRecord[];
  warnings: string[];
};

/** What an attempt holds while it runs (beginAttempt). */
interface BegunAttempt {
  runtime: ProviderRuntime;
  apiKey: string | undefined;
  attemptCancel: Cancellation;
  context: CallContext;
  warnings: string[];
  /** Set when the provider did not ask the upstream for the stream's usage (it refuses the field). */
  usage: { notAsked: boolean };
  settle: (error?: GatewayError) => void;
}

type AttemptResult = { warnings: string[]; usageNotAsked: boolean } & (
  | { kind: 'relay'; relayed: RelayedResponse }
  | { kind: 'events'; first: CanonicalEvent | undefined; rest: AsyncIterator<CanonicalEvent> }
);

export class Router {
  private readonly orderStates = new Map<string, OrderState>();

  constructor(private readonly deps: RouterDeps) {}

  async execute(options: ExecuteOptions): Promise<RouteOutcome> {
    const { route } = options;
    const timeoutMs = route.policy.timeoutMs;
    const ordered = this.order(route);
    const attempts: AttemptRecord[] = [];
    if (timeoutMs === undefined) {
      try {
        return await this.run(
          options,
          ordered,
          attempts,
          options.cancel,
          options.decoded,
          undefined,
          undefined,
        );
      } catch (error) {
        throw Object.assign(toGatewayError(error), { attempts });
      }
    }
    // The whole-request deadline: a cancellation of its own that also follows the request's.
    const { cancel, unlink } = options.cancel.child();
    const deadline = { passed: false };
    const deadlineAt = performance.now() + timeoutMs;
    const timer = setTimeout(() => {
      deadline.passed = true;
      cancel.abort(new DOMException('The request deadline passed', 'TimeoutError'));
    }, timeoutMs);
    timer.unref();
    const ended = (): void => {
      clearTimeout(timer);
      unlink();
    };
    const toDeadline = (error: unknown): GatewayError => deadlineError(error, deadline.passed, timeoutMs);
    let outcome: RouteOutcome;
    try {
      outcome = await this.run(options, ordered, attempts, cancel, options.decoded, undefined, deadlineAt);
    } catch (error) {
      ended();
      throw Object.assign(toDeadline(error), { attempts });
    }
    // The deadline also bounds the answer itself; when it cuts the stream, say so (not "network").
    return outcome.kind === 'relay'
      ? {
          ...outcome,
          relayed: { ...outcome.relayed, body: mapErrors(outcome.relayed.body, toDeadline, ended) },
        }
      : {
          ...outcome,
          rest: mapErrors({ [Symbol.asyncIterator]: () => outcome.rest }, toDeadline, ended),
        };
  }

  private order(route: Route): Array<WeightedTarget<Target>> {
    // Only aliases carry a strategy with state (round-robin); direct routes are client-named and must not
    // leave an entry per model name behind.
    let state = route.alias ? this.orderStates.get(route.alias.alias) : { cursor: 0 };
    if (!state) {
      state = { cursor: 0 };
      this.orderStates.set(route.alias!.alias, state);
    }
    const weighted = route.targets.map((target) => ({
      target,
      weight: target.weight,
      health: this.deps.health.get(target.label),
    }));
    return orderTargets(route.policy.strategy, weighted, state);
  }

  /**
   * Tries `ordered` targets in turn. `partial` is set when continuing a broken stream: then only the
   * translated path is used and the continuation request carries the partial answer. `deadlineAt`
   * (performance.now() time) is the whole-request deadline, if any.
   */
  private run(
    options: ExecuteOptions,
    ordered: Array<WeightedTarget<Target>>,
    attempts: AttemptRecord[],
    cancel: Cancellation,
    decoded: DecodedRequest,
    partial: PartialAnswer | undefined,
    deadlineAt: number | undefined,
  ): Promise<RouteOutcome> {
    // The winner becomes the outcome inside tryTargets: no second async layer per request.
    return this.tryTargets(
      options.route.policy,
      ordered,
      attempts,
      cancel,
      deadlineAt,
      options.requestId,
      (target) => planAttempt(options, target, decoded, partial),
      (target, health, plan) => this.attempt(options, target, health, cancel, decoded, plan),
      (result, target, index): RouteOutcome => {
        const { warnings, usageNotAsked } = result;
        if (result.kind === 'relay')
          return { kind: 'relay', relayed: result.relayed, target, attempts, warnings, usageNotAsked };
        const rest = this.continueOnFailure(
          options,
          result.rest,
          ordered.slice(index + 1),
          attempts,
          cancel,
          decoded,
          partial,
          deadlineAt,
        );
        return { kind: 'events', first: result.first, rest, target, attempts, warnings, usageNotAsked };
      },
    );
  }

  /**
   * Embeddings over the same route machinery as generation: strategy order, retries with backoff,
   * failover, circuit breakers, key rotation, concurrency slots and the request deadline. An embedding
   * answer is one JSON body, so an attempt is done when its result is.
   */
  async embed(options: EmbedOptions): Promise<EmbedOutcome> {
    const { route } = options;
    const timeoutMs = route.policy.timeoutMs;
    const ordered = this.order(route);
    const attempts: AttemptRecord[] = [];
    const { cancel, unlink } = options.cancel.child();
    const deadline = { passed: false };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            deadline.passed = true;
            cancel.abort(new DOMException('The request deadline passed', 'TimeoutError'));
          }, timeoutMs);
    timer?.unref();
    const deadlineAt = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
    try {
      return await this.tryTargets(
        route.policy,
        ordered,
        attempts,
        cancel,
        deadlineAt,
        options.requestId,
        // Refused before a slot or a key is taken: nothing reached the target.
        (target) => checkEmbeddingSupport(target.provider, options.request, target.model),
        (target, health) => this.embedAttempt(options, target, health, cancel),
        (result, target): EmbedOutcome => ({ ...result, target, attempts }),
      );
    } catch (error) {
      const failure =
        timeoutMs === undefined ? toGatewayError(error) : deadlineError(error, deadline.passed, timeoutMs);
      throw Object.assign(failure, { attempts });
    } finally {
      clearTimeout(timer);
      unlink();
    }
  }

  /**
   * Tries `ordered` targets in turn with `tryOne`: retries on the same target for retryable failures
   * (with backoff, or at once when another key is ready), then the next target for failures the policy
   * names; a client error stops at once. The first success is made the caller's outcome by `win`.
   *
   * A target `plan` refuses (Junction's own 400: what it knows the target cannot serve) is skipped
   * before anything is sent or waited for: no attempt record, metric, breaker or health entry, no retry.
   * When no target can serve the request, the first refusal is the answer; when some could but failed,
   * their last failure is.
   */
  private async tryTargets<P, R, O>(
    policy: RoutePolicy,
    ordered: Array<WeightedTarget<Target>>,
    attempts: AttemptRecord[],
    cancel: Cancellation,
    deadlineAt: number | undefined,
    requestId: string,
    plan: (target: Target) => P,
    tryOne: (target: Target, health: TargetHealth, planned: P) => Promise<R>,
    win: (result: R, target: Target, index: number) => O,
  ): Promise<O> {
    let lastError: GatewayError | undefined;
    // Made by the first refusal only.
    let skipped: SkippedTarget[] | undefined;
    // A target that could serve the request but was passed over, unattempted, for its open circuit.
    let spare = -1;
    try {
      for (let t = 0, last = ordered.length - 1; t <= last; t++) {
        const { target, health } = ordered[t]!;
        let planned: P;
        try {
          planned = plan(target);
        } catch (thrown) {
          if (!isRefusal(thrown)) throw thrown;
          skipped ??= [];
          skipped.push({ target: target.label, refusal: thrown });
          // The last target cannot serve it but a passed-over one can: that one is tried regardless of its
          // circuit, as the last target always is.
          if (t === last && spare >= 0) {
            last = spare;
            t = spare - 1;
            spare = -1;
          }
          continue;
        }
        for (let retry = 0; retry <= policy.retries; retry++) {
          // An open circuit is passed over while another target remains; the last one is tried regardless.
          if (t !== last && !health.breaker.allowRequest()) {
            if (retry === 0) spare = t;
            break;
          }
          const started = performance.now();
          let result: R;
          try {
            result = await tryOne(target, health, planned);
          } catch (thrown) {
            const error = toGatewayError(thrown);
            lastError = error;
            attempts.push(
              this.note(requestId, {
                target: target.label,
                status: error.upstreamStatus ?? error.status,
                failureClass: error.failureClass,
                durationMs: performance.now() - started,
              }),
            );
            if (cancel.aborted) throw error;
            const retryable = error.retryable || this.rotatesKey(target, error);
            if (!retryable) {
              if (shouldFailOver(policy, error)) break;
              throw error;
            }
            if (retry === policy.retries) break;
            // Retry-After speaks for the key that was refused: another ready key is tried at once.
            const delay = this.anotherKeyReady(target, error)
              ? 0
              : retryDelayMs(retry + 1, error.retryAfterMs, this.deps.backoff ?? DEFAULT_BACKOFF);
            if (delay === undefined) break;
            // A wait that would outlast the request's deadline could only end in a 504: move on instead.
            if (deadlineAt !== undefined && performance.now() + delay >= deadlineAt) break;
            await sleep(delay, cancel).catch((reason: unknown) => {
              // Cancelled while waiting (client gone, shutdown, deadline): the same 499 an aborted upstream
              // call gives, not an internal error; a deadline is renamed by execute, a shutdown keeps its own.
              throw reason instanceof GatewayError
                ? reason
                : new GatewayError('timeout', 'Request aborted while waiting to retry', {
                    status: 499,
                    cause: reason,
                  });
            });
            continue;
          }
          attempts.push(
            this.note(
              requestId,
              { target: target.label, status: 200, durationMs: performance.now() - started },
              target.provider.name,
            ),
          );
          return win(result, target, t);
        }
        if (lastError && !shouldFailOver(policy, lastError)) throw lastError;
      }
      throw (
        lastError ??
        skipped?.[0]?.refusal ??
        new GatewayError('overloaded', 'Every target of this route is unavailable (circuits open)', {
          status: 503,
          retryAfterMs: 1_000,
        })
      );
    } finally {
      // A route of one target has nothing to skip to: its refusal is the answer, logged as such.
      if (skipped !== undefined && ordered.length > 1) this.deps.skipped?.(skipped, requestId);
    }
  }

  /** With several keys, a key the upstream rejected is worth one more try with the next key. */
  private rotatesKey(target: Target, error: GatewayError): boolean {
    return (
      (error.upstreamStatus === 401 || error.upstreamStatus === 403) && this.rotation(target) !== undefined
    );
  }

  /** After a key was refused (and is now cooling), whether the provider has another key usable now. */
  private anotherKeyReady(target: Target, error: GatewayError): boolean {
    const status = error.upstreamStatus;
    if (status !== 429 && status !== 401 && status !== 403) return false;
    return (this.rotation(target)?.available() ?? 0) > 0;
  }

  /** The target provider's key pool, when it has more than one key to rotate through. */
  private rotation(target: Target): ProviderRuntime['keys'] | undefined {
    const keys = this.deps.runtimes.get(target.provider.name)?.keys;
    return keys !== undefined && keys.size > 1 ? keys : undefined;
  }

  /**
   * What every attempt holds: a concurrency slot, a rotated key, its own cancellation (which the upstream
   * call and its deadlines abort alone, following the request's) and `settle`, which frees them and tells
   * the target's health how it went (once).
   */
  private beginAttempt(
    request: Pick<ExecuteOptions, 'cancel' | 'requestId' | 'clientHeaders'>,
    target: Target,
    health: TargetHealth,
    cancel: Cancellation,
  ): BegunAttempt | Promise<BegunAttempt> {
    const { cancel: requestCancel, requestId, clientHeaders } = request;
    const runtime = this.deps.runtimes.get(target.provider.name);
    if (!runtime) throw new GatewayError('internal', `No runtime for provider ${target.provider.name}`);
    const { cancel: attemptCancel, unlink } = cancel.child();
    const begin = (release: () => void): BegunAttempt =>
      this.holdAttempt(
        requestCancel,
        requestId,
        clientHeaders,
        health,
        runtime,
        attemptCancel,
        unlink,
        release,
      );
    // Without a provider concurrency limit there is nothing to wait for: no promise on the hot path.
    if (!runtime.limiter) return begin(noop);
    return runtime.limiter.acquire(attemptCancel).then(begin, (error: unknown) => {
      unlink();
      // Our own refusal (no slot) never reached the target.
      health.breaker.releaseProbe();
      throw error;
    });
  }

  private holdAttempt(
    requestCancel: Cancellation,
    requestId: string,
    clientHeaders: Record<string, string | undefined>,
    health: TargetHealth,
    runtime: ProviderRuntime,
    attemptCancel: Cancellation,
    unlink: () => void,
    release: () => void,
  ): BegunAttempt {
    const apiKey = runtime.keys.next();
    const warnings: string[] = [];
    const usage = { notAsked: false };
    const context: CallContext = {
      cancel: attemptCancel,
      requestId,
      clientHeaders,
      warn: (message: string) => warnings.push(message),
      usageNotAsked: () => {
        usage.notAsked = true;
      },
      ...(apiKey ? { apiKey } : {}),
    };
    health.inFlight += 1;
    let settled = false;
    const settle = (error?: GatewayError): void => {
      if (settled) return;
      settled = true;
      unlink();
      health.inFlight -= 1;
      release();
      // The client went away (or the gateway shut down): whatever the attempt made of it (an abort, a
      // 499), that says nothing about the target. Nor does a client error: a probe it held is handed back.
      if (requestCancel.aborted) health.breaker.releaseProbe();
      else if (!error) health.recordSuccess();
      else if (countsAgainstTarget(error))
        health.recordFailure(error.upstreamStatus ?? error.status, error.failureClass);
      else health.breaker.releaseProbe();
    };
    return { runtime, apiKey, attemptCancel, context, warnings, usage, settle };
  }

  /** A failed attempt: the refused key cools, the attempt settles, the metric counts it. */
  private failAttempt(
    target: Target,
    runtime: ProviderRuntime,
    apiKey: string | undefined,
    settle: (error?: GatewayError) => void,
    thrown: unknown,
  ): GatewayError {
    const error = toGatewayError(thrown);
    if (apiKey && error.upstreamStatus !== undefined)
      runtime.keys.report(apiKey, error.upstreamStatus, error.retryAfterMs);
    settle(error);
    this.deps.metrics?.attempt(
      target.provider.name,
      target.label,
      error.upstreamStatus ?? error.status,
      error.failureClass,
    );
    return error;
  }

  private async embedAttempt(
    options: EmbedOptions,
    target: Target,
    health: TargetHealth,
    cancel: Cancellation,
  ): Promise<EmbeddingResult & { warnings: string[] }> {
    const { provider } = target;
    const beginning = this.beginAttempt(options, target, health, cancel);
    const begun = beginning instanceof Promise ? await beginning : beginning;
    const { runtime, apiKey, attemptCancel, context, warnings, settle } = begun;
    const started = performance.now();
    try {
      const embedder = provider as ProviderAdapter & EmbeddingCapable;
      const result = await settleWithin(
        embedder.embed({ ...options.request, upstreamModel: target.model }, context),
        options.route.policy.firstByteTimeoutMs,
        () => attemptCancel.abort(),
        `No answer from ${provider.name}`,
      );
      health.recordTtfb(performance.now() - started);
      settle();
      return { ...result, warnings };
    } catch (thrown) {
      throw this.failAttempt(target, runtime, apiKey, settle, thrown);
    }
  }

  private async attempt(
    options: ExecuteOptions,
    target: Target,
    health: TargetHealth,
    cancel: Cancellation,
    decoded: DecodedRequest,
    plan: AttemptPlan,
  ): Promise<AttemptResult> {
    const { policy } = options.route;
    const beginning = this.beginAttempt(options, target, health, cancel);
    const begun = beginning instanceof Promise ? await beginning : beginning;
    const { runtime, apiKey, attemptCancel, context, warnings, usage, settle } = begun;
    const started = performance.now();
    try {
      const { provider } = target;
      if (plan.kind === 'relay') {
        const relayed = await settleWithin(
          plan.provider.relay(options.dialect, decoded.body, target.model, context, decoded.relayDefaults),
          policy.firstByteTimeoutMs,
          () => attemptCancel.abort(),
          `No first byte from ${provider.name}`,
        );
        health.recordTtfb(performance.now() - started);
        const guarded = guardRelay(relayed, settle, policy.idleTimeoutMs, attemptCancel, provider.name);
        // Nothing reaches the client before this returns, so what is read here can still fail over: a
        // non-stream answer whole (it is written in one piece anyway), a stream up to its first content
        // when the relay can tell (an in-band error or a break in its opening is then this attempt's).
        const ahead = !isEventStream(relayed)
          ? guarded.gather()
          : relayed.started
            ? guarded.hold(relayed.started)
            : undefined;
        if (ahead) await ahead;
        return { kind: 'relay', relayed: guarded.relayed, warnings, usageNotAsked: usage.notAsked };
      }
      const iterator = provider.stream(plan.request, context, plan.prepared)[Symbol.asyncIterator]();
      const opening = await firstMeaningful(iterator, policy, started, attemptCancel, provider.name);
      health.recordTtfb(performance.now() - started);
      // A non-stream answer reaches the client only once it is complete, so a break anywhere in it is
      // still invisible: it is read to its end here, and a failure is this attempt's, retried or failed
      // over like a refusal. (resume_streams splices the answer instead.)
      const whole =
        !decoded.canonical.stream && !policy.resumeStreams
          ? await readToEnd(iterator, opening, policy.idleTimeoutMs, attemptCancel, provider.name)
          : false;
      const first = opening.shift();
      const rest = guardRest(
        iterator,
        policy.idleTimeoutMs,
        attemptCancel,
        provider.name,
        settle,
        opening,
        whole,
      );
      return { kind: 'events', first, rest, warnings, usageNotAsked: usage.notAsked };
    } catch (thrown) {
      throw this.failAttempt(target, runtime, apiKey, settle, thrown);
    }
  }

  /**
   * Wraps the rest of a stream: with resume_streams, a failure after bytes were sent continues the
   * answer on the remaining targets; otherwise the failure reaches the dialect's stream encoder.
   */
  private continueOnFailure(
    options: ExecuteOptions,
    rest: AsyncIterator<CanonicalEvent>,
    remaining: Array<WeightedTarget<Target>>,
    attempts: AttemptRecord[],
    cancel: Cancellation,
    decoded: DecodedRequest,
    partial: PartialAnswer | undefined,
    deadlineAt: number | undefined,
  ): AsyncIterator<CanonicalEvent> {
    if (!options.route.policy.resumeStreams || remaining.length === 0) return rest;
    const router = this;
    const answer: PartialAnswer = partial ?? { text: '', blocked: false };
    async function* resumable(): AsyncGenerator<CanonicalEvent> {
      // What the broken attempt reported using: it was spent upstream, so the continuation's usage is
      // reported on top of it (usage events supersede each other downstream).
      let spent: Usage | undefined;
      try {
        for (let next = await rest.next(); !next.done; next = await rest.next()) {
          trackPartial(answer, next.value);
          if (next.value.type === 'usage') spent = mergeUsage(spent, next.value.usage);
          yield next.value;
        }
      } catch (thrown) {
        const error = toGatewayError(thrown);
        if (answer.blocked || cancel.aborted || !error.retryable) throw error;
        const outcome = await router
          .run(options, remaining, attempts, cancel, decoded, answer, deadlineAt)
          .catch(() => {
            throw error;
          });
        if (outcome.kind !== 'events') throw error;
        let continued: Usage | undefined;
        const withSpent = (event: CanonicalEvent): CanonicalEvent => {
          if (event.type !== 'usage' || spent === undefined) return event;
          continued = mergeUsage(continued, event.usage);
          return { type: 'usage', usage: addUsage(spent, continued) };
        };
        // The continuation's own start event is dropped: to the client this is still the first answer.
        if (outcome.first && outcome.first.type !== 'response-start') yield withSpent(outcome.first);
        for (let next = await outcome.rest.next(); !next.done; next = await outcome.rest.next())
          yield withSpent(next.value);
      }
    }
    return resumable();
  }

  private note(requestId: string, record: AttemptRecord, provider?: string): AttemptRecord {
    if (provider !== undefined) this.deps.metrics?.attempt(provider, record.target, 200, 'ok');
    this.deps.log?.(record, requestId);
    return record;
  }
}

/**
 * The attempt's plan for `target`, or the 400 for what its provider cannot take on the translated path
 * (fields only the fast path carries, a capability it lacks, what its converter refuses), named as the
 * client sent it. Thrown here, before a concurrency slot or a key is taken, it skips the target and is
 * never an upstream attempt.
 */
function planAttempt(
  options: ExecuteOptions,
  target: Target,
  decoded: DecodedRequest,
  partial: PartialAnswer | undefined,
): AttemptPlan {
  const { provider } = target;
  if (
    !partial &&
    !options.route.policy.resumeStreams &&
    options.allowRelay !== false &&
    canRelay(provider, options.dialect)
  )
    return { kind: 'relay', provider };
  try {
    if (decoded.unmodeled.length > 0) {
      const field = decoded.unmodeled[0]!;
      throw new GatewayError(
        'unsupported',
        `${field} is not supported by provider ${provider.name} (${provider.type})`,
        {
          param: field,
          code: 'unsupported_parameter',
        },
      );
    }
    const request: ProviderRequest = partial
      ? buildContinuation(
          decoded.canonical,
          partial,
          target.model,
          provider.capabilities.assistantPrefill === true,
        )
      : // Object.assign: a key the source lacks, added by a spread, takes V8's slow path on Node 20.
        Object.assign({}, decoded.canonical, { upstreamModel: target.model });
    checkCapabilities(provider, request, options.dialect);
    return { kind: 'translate', request, prepared: provider.prepare(request) };
  } catch (thrown) {
    // What the provider cannot take is named as a place in the canonical request, not the client's.
    throw thrown instanceof GatewayError ? inClientTerms(thrown, options.dialect, decoded) : thrown;
  }
}

/** A plan's own 400 (what the target cannot take), as opposed to a fault of Junction's. */
function isRefusal(thrown: unknown): thrown is GatewayError {
  return thrown instanceof GatewayError && thrown.status < 500;
}

/** Client-side failures say nothing about the target's health. */
function countsAgainstTarget(error: GatewayError): boolean {
  return error.retryable || error.failureClass === 'auth' || error.failureClass === 'permission';
}

function noop(): void {}

/** Events that say nothing to the client yet: held back, so a stream that dies after them can fail over. */
const OPENING_EVENTS: ReadonlySet<CanonicalEvent['type']> = new Set(['response-start', 'usage']);

/**
 * Pulls events up to and including the first meaningful one (text, reasoning, tool call, finish), all
 * within the first-byte deadline. An upstream that accepts the request and then dies before saying
 * anything throws here, while the router can still fail over invisibly.
 */
async function firstMeaningful(
  iterator: AsyncIterator<CanonicalEvent>,
  policy: RoutePolicy,
  started: number,
  cancel: Cancellation,
  provider: string,
): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  for (;;) {
    const budget =
      policy.firstByteTimeoutMs === undefined
        ? events.length === 0
          ? undefined
          : policy.idleTimeoutMs
        : Math.max(1, policy.firstByteTimeoutMs - (performance.now() - started));
    const next =
      nextReady(iterator) ??
      (await nextWithin(iterator, budget, () => cancel.abort(), `No first byte from ${provider}`));
    if (next.done) return events;
    events.push(next.value);
    if (!OPENING_EVENTS.has(next.value.type)) return events;
  }
}

/**
 * Pulls the rest of `iterator` into `events`, each event within the idle deadline. Returns true (the
 * source is done) or throws the stream's failure.
 */
async function readToEnd(
  iterator: AsyncIterator<CanonicalEvent>,
  events: CanonicalEvent[],
  idleMs: number | undefined,
  cancel: Cancellation,
  provider: string,
): Promise<true> {
  const what = `Upstream ${provider} sent nothing`;
  for (;;) {
    const next = nextReady(iterator) ?? (await nextWithin(iterator, idleMs, () => cancel.abort(), what));
    if (next.done) return true;
    events.push(next.value);
  }
}

/**
 * The rest of an event stream: idle deadline, and the attempt settles (slot, health) when it ends. A plain
 * iterator rather than an async generator, as it runs once per streamed event. `sourceDone` says the
 * source was already read to its end into `pending`.
 */
function guardRest(
  iterator: AsyncIterator<CanonicalEvent>,
  idleMs: number | undefined,
  cancel: Cancellation,
  provider: string,
  settle: (error?: GatewayError) => void,
  pending: CanonicalEvent[] = [],
  sourceDone = false,
): ReadyIterator<CanonicalEvent> {
  let head = 0;
  let finished = false;
  const what = `Upstream ${provider} sent nothing`;
  const onIdle = (): void => cancel.abort();
  const passOn = (next: IteratorResult<CanonicalEvent>): IteratorResult<CanonicalEvent> => {
    if (next.done) {
      finished = true;
      settle();
    }
    return next;
  };
  const fail = (thrown: unknown): never => {
    finished = true;
    const error = toGatewayError(thrown);
    settle(error);
    throw error;
  };
  // A result at hand meets the idle deadline by definition.
  const nextSync = (): IteratorResult<CanonicalEvent> | undefined => {
    // Events already pulled while waiting for the first meaningful one.
    if (head < pending.length) return { done: false, value: pending[head++]! };
    if (finished) return { done: true, value: undefined };
    if (sourceDone) return passOn({ done: true, value: undefined });
    return nextReadyThen(iterator, passOn, fail);
  };
  const wait = (): Promise<IteratorResult<CanonicalEvent>> =>
    nextWithin(iterator, idleMs, onIdle, what).then(passOn, fail);
  return {
    next: () => readyOrWait(nextSync, wait),
    nextSync,
    return: async () => {
      if (!finished) {
        // The consumer stopped early (client gone): cancel the upstream and free the slot.
        finished = true;
        cancel.abort();
        settle();
      }
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Opening bytes held back at most, waiting for a relayed stream's content; then they go out regardless. */
const MAX_HELD_BYTES = 64 * 1024;

interface GuardedRelay {
  relayed: RelayedResponse;
  /**
   * Reads the whole body now and hands it out as one chunk afterwards: a non-stream answer reaches the
   * client only once complete, so a break anywhere in it is still this attempt's to fail over. Undefined
   * when it was all at hand (the usual case), else a promise; throws (or rejects with) the body's failure.
   */
  gather(): Promise<void> | undefined;
  /**
   * Reads a stream until `started()` says content has passed, holding those bytes to hand out first: a
   * failure before that (an in-band error, a break after the opening chunk) is still this attempt's.
   */
  hold(started: () => boolean): Promise<void> | undefined;
}

/**
 * A relayed body that frees its slot when consumed and enforces the idle deadline between chunks. A plain
 * iterator rather than an async generator: it runs once per relayed chunk, and each generator layer costs
 * several promises per chunk. What `gather` or `hold` read ahead is handed out first, as one chunk.
 */
function guardRelay(
  relayed: RelayedResponse,
  settle: (error?: GatewayError) => void,
  idleMs: number | undefined,
  cancel: Cancellation,
  provider: string,
): GuardedRelay {
  const source = relayed.body[Symbol.asyncIterator]();
  const what = `Upstream ${provider} sent nothing`;
  const onIdle = (): void => cancel.abort();
  /** Bytes read ahead (gather, hold), handed out before anything else. */
  let head: Uint8Array | undefined;
  let sourceDone = false;
  const passOn = (next: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (next.done) {
      sourceDone = true;
      settle();
    }
    return next;
  };
  const fail = (thrown: unknown): never => {
    const error = toGatewayError(thrown);
    settle(error);
    throw error;
  };
  // A chunk at hand meets the idle deadline by definition.
  const nextSync = (): IteratorResult<Uint8Array> | undefined => {
    if (head !== undefined) {
      const value = head;
      head = undefined;
      return { done: false, value };
    }
    if (sourceDone) return { done: true, value: undefined };
    return nextReadyThen(source, passOn, fail);
  };
  const wait = (): Promise<IteratorResult<Uint8Array>> =>
    nextWithin(source, idleMs, onIdle, what).then(passOn, fail);
  const body: ReadyIterator<Uint8Array> = {
    next: () => readyOrWait(nextSync, wait),
    nextSync,
    // Consumer stopped early: not the target's fault, so it counts as neither success nor failure; the
    // source is closed so the upstream body is released.
    return: async () => {
      head = undefined;
      settle();
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  /** Reads into `chunks` until the source ends or `enough()`; then they become the head. */
  const readAhead = (enough: (bytes: number) => boolean): Promise<void> | undefined => {
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const keep = (next: IteratorResult<Uint8Array>): boolean => {
      if (!next.done && next.value.byteLength > 0) {
        chunks.push(next.value);
        bytes += next.value.byteLength;
      }
      if (!next.done && !enough(bytes)) return false;
      if (chunks.length > 0) head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
      return true;
    };
    for (let next = nextSync(); next !== undefined; next = nextSync()) if (keep(next)) return undefined;
    return (async () => {
      for (;;) if (keep(nextSync() ?? (await wait()))) return;
    })();
  };
  return {
    relayed: { ...relayed, body },
    gather: () => readAhead(() => false),
    hold: (started) => (started() ? undefined : readAhead((bytes) => started() || bytes >= MAX_HELD_BYTES)),
  };
}

/** A whole-request deadline that fired is reported as such, whatever the adapter made of the abort. */
function deadlineError(error: unknown, passed: boolean, timeoutMs: number): GatewayError {
  if (passed)
    return new GatewayError('timeout', `Request deadline of ${timeoutMs} ms exceeded`, { status: 504 });
  return toGatewayError(error);
}

/**
 * Re-throws what `source` throws through `map`; an early stop still reaches the source. `ended` runs
 * once the source is done, failed or closed. A plain iterator (ready results pass synchronously), as it
 * runs once per relayed chunk or streamed event.
 */
function mapErrors<T>(
  source: AsyncIterable<T>,
  map: (error: unknown) => Error,
  ended: () => void,
): ReadyIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  const done: IteratorResult<T> = { done: true, value: undefined };
  const finish = (): void => {
    if (finished) return;
    finished = true;
    ended();
  };
  const passOn = (next: IteratorResult<T>): IteratorResult<T> => {
    if (next.done) finish();
    return next;
  };
  const fail = (error: unknown): never => {
    finish();
    throw map(error);
  };
  return {
    next: () => (finished ? Promise.resolve(done) : iterator.next().then(passOn, fail)),
    nextSync: () => (finished ? done : nextReadyThen(iterator, passOn, fail)),
    return: async () => {
      if (!finished) {
        try {
          await iterator.return?.();
        } finally {
          finish();
        }
      }
      return done;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function attemptsOf(error: unknown): AttemptRecord[] {
  const attempts = (error as { attempts?: AttemptRecord[] } | undefined)?.attempts;
  return Array.isArray(attempts) ? attempts : [];
}
