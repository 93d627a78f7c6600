/**
 * Keeps the gateway serving when the counter backend (Redis) fails: `fail_open` lets requests through
 * and marks results `degraded`, `fail_closed` refuses them with a 503. Each transition is logged once.
 * While degraded, only one call per probe interval reaches the backend, so a hung Redis costs one
 * command timeout per interval rather than one per request; the first success restores normal service.
 *
 * What requests hand back when they end (a budget's real cost, a released hold, a concurrency slot) cannot
 * be dropped like a check can: lost, a slot would stay taken and a hold stay held until their leases
 * lapse (15 minutes), and the spend would never be recorded. Those writes are kept (bounded) while the
 * backend fails and replayed once it answers again.
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../core/errors.js';
import type {
  ConcurrencyResult,
  CounterBalance,
  CounterStore,
  ForceOption,
  HitResult,
  ReserveOptions,
  ReserveResult,
  SettleResult,
} from './counter-store.js';

export type FailurePolicy = 'fail_open' | 'fail_closed';
export type CounterStoreState = 'healthy' | 'degraded';

export interface StoreLogger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface ResilientCounterStoreOptions {
  policy: FailurePolicy;
  logger?: StoreLogger;
  onStateChange?: (state: CounterStoreState, error?: unknown) => void;
  probeIntervalMs?: number;
  /** Ends (settle, release, slot return) kept for replay while the backend fails; beyond it they are lost. */
  maxPendingEnds?: number;
}

export interface ResilientCounterStore extends CounterStore {
  readonly state: CounterStoreState;
}

/** Pending ends replayed before the recovering call itself; a longer queue finishes in the background. */
const SYNC_REPLAY = 1000;

/** Ids handed out while degraded: they exist on no backend, so settle/release must not look them up. */
const DEGRADED_ID = 'degraded:';

export function resilientCounterStore(
  inner: CounterStore,
  options: ResilientCounterStoreOptions,
): ResilientCounterStore {
  const probeIntervalMs = options.probeIntervalMs ?? 1000;
  let state: CounterStoreState = 'healthy';
  let lastProbe = 0;
  let probing = false;
  const maxPending = options.maxPendingEnds ?? 10_000;
  /** Ends that failed or were skipped while degraded, replayed in order once the backend answers. */
  const pending: Array<() => Promise<unknown>> = [];
  let replaying = false;
  let lostEnds = 0;

  const defer = (end: () => Promise<unknown>): void => {
    if (pending.length >= maxPending) {
      if (lostEnds++ === 0)
        options.logger?.error(
          { maxPending },
          'counter store unavailable too long; dropping pending settlements',
        );
      return;
    }
    pending.push(end);
  };

  /**
   * Replays up to `limit` pending ends in order; throws (keeping the rest) when the backend fails again.
   * A RangeError is a bug in the end itself, not an outage: that end is dropped.
   */
  const replay = async (limit: number): Promise<void> => {
    for (let done = 0; done < limit && pending.length > 0; done++) {
      try {
        await pending[0]!();
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
      pending.shift();
    }
  };

  /** The rest of a long queue, after the probe that restored service. */
  const replayRest = async (): Promise<void> => {
    if (replaying) return;
    replaying = true;
    try {
      await replay(Number.POSITIVE_INFINITY);
    } catch (error) {
      lastProbe = Date.now();
      transition('degraded', error);
    } finally {
      replaying = false;
    }
  };

  const transition = (next: CounterStoreState, error?: unknown): void => {
    if (state === next) return;
    state = next;
    if (next === 'degraded') {
      options.logger?.error(
        { err: error, policy: options.policy },
        'counter store unavailable; applying failure policy',
      );
    } else {
      options.logger?.info(
        { policy: options.policy, pendingEnds: pending.length },
        'counter store recovered',
      );
      lostEnds = 0;
    }
    options.onStateChange?.(next, error);
  };

  const unavailable = (cause?: unknown): GatewayError =>
    new GatewayError('overloaded', 'The rate-limit and budget store is unavailable', {
      status: 503,
      code: 'limits_unavailable',
      retryAfterMs: probeIntervalMs,
      cause,
    });

  /** Runs `call` on the backend, or `fallback` when the backend is failing (or skipped between probes). */
  async function guarded<T>(call: () => Promise<T>, fallback: (error: unknown) => T): Promise<T> {
    const isProbe = state === 'degraded';
    if (isProbe) {
      if (probing || Date.now() - lastProbe < probeIntervalMs) return fallback(undefined);
      probing = true;
      lastProbe = Date.now();
    }
    try {
      // The ends kept during the outage go first, so this very call sees the slots and holds they free.
      if (isProbe && !replaying) await replay(SYNC_REPLAY);
      const result = await call();
      transition('healthy');
      if (pending.length > 0) void replayRest();
      return result;
    } catch (error) {
      // A RangeError is the caller's bug (non-integer amount), not an outage.
      if (error instanceof RangeError) throw error;
      lastProbe = Date.now();
      transition('degraded', error);
      return fallback(error);
    } finally {
      if (isProbe) probing = false;
    }
  }

  const openOrClosed =
    <T>(open: () => T) =>
    (error: unknown): T => {
      if (options.policy === 'fail_closed') throw unavailable(error);
      return open();
    };

  /** An end: attempted now when healthy (or as the probe), otherwise kept for replay after recovery. */
  const end = (call: () => Promise<unknown>): Promise<boolean> =>
    guarded(
      async () => {
        await call();
        return true;
      },
      () => {
        defer(call);
        return false;
      },
    );

  const allowHit = (limit: number): HitResult => ({
    allowed: true,
    remaining: limit,
    resetMs: 0,
    retryAfterMs: 0,
    degraded: true,
  });

  return {
    get state() {
      return state;
    },
    hit: (key, windowMs, limit, cost, now, force?: ForceOption) =>
      guarded(
        () => inner.hit(key, windowMs, limit, cost, now, force),
        openOrClosed(() => allowHit(limit)),
      ),
    tokenBucket: (key, capacity, refill, cost, now, force?: ForceOption) =>
      guarded(
        () => inner.tokenBucket(key, capacity, refill, cost, now, force),
        openOrClosed(() => allowHit(capacity)),
      ),
    reserve: (key, amount, limit, ttlMs, reserveOptions?: ReserveOptions) =>
      guarded<ReserveResult>(
        () => inner.reserve(key, amount, limit, ttlMs, reserveOptions),
        openOrClosed(() => ({
          ok: true,
          reservationId: DEGRADED_ID + randomUUID(),
          remaining: Math.max(0, limit - amount),
          degraded: true,
        })),
      ),
    // The call already happened: recording its cost is attempted even for a degraded reservation, and
    // a failure here is never the client's problem, whatever the policy.
    settle: (key, reservationId, actual, settleOptions) =>
      guarded<SettleResult>(
        () => inner.settle(key, reservationId, actual, settleOptions),
        () => {
          defer(() => inner.settle(key, reservationId, actual, settleOptions));
          return { found: false, degraded: true };
        },
      ),
    release: async (key, reservationId) => {
      if (reservationId.startsWith(DEGRADED_ID)) return;
      await end(() => inner.release(key, reservationId));
    },
    balance: (key, now) =>
      guarded<CounterBalance>(
        () => inner.balance(key, now),
        (error) => {
          throw unavailable(error);
        },
      ),
    incrementConcurrency: (key, limit, leaseMs, now) =>
      guarded<ConcurrencyResult>(
        () => inner.incrementConcurrency(key, limit, leaseMs, now),
        openOrClosed(() => ({
          allowed: true,
          leaseId: DEGRADED_ID + randomUUID(),
          active: 0,
          degraded: true,
        })),
      ),
    decrementConcurrency: async (key, leaseId) => {
      if (leaseId.startsWith(DEGRADED_ID)) return;
      await end(() => inner.decrementConcurrency(key, leaseId));
    },
    close: () => inner.close(),
  };
}
