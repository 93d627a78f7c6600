/**
 * Keeps the gateway serving when the counter backend (Redis) fails: `fail_open` lets requests through
 * and marks results `degraded`, `fail_closed` refuses them with a 503. Each transition is logged once.
 * While degraded, only one call per probe interval reaches the backend, so a hung Redis costs one
 * command timeout per interval rather than one per request; the first success restores normal service.
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
}

export interface ResilientCounterStore extends CounterStore {
  readonly state: CounterStoreState;
}

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

  const transition = (next: CounterStoreState, error?: unknown): void => {
    if (state === next) return;
    state = next;
    if (next === 'degraded') {
      options.logger?.error(
        { err: error, policy: options.policy },
        'counter store unavailable; applying failure policy',
      );
    } else {
      options.logger?.info({ policy: options.policy }, 'counter store recovered');
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
      const result = await call();
      transition('healthy');
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
        () => ({ found: false, degraded: true }),
      ),
    release: async (key, reservationId) => {
      if (reservationId.startsWith(DEGRADED_ID)) return;
      await guarded(
        () => inner.release(key, reservationId),
        () => undefined,
      );
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
      await guarded(
        () => inner.decrementConcurrency(key, leaseId),
        () => undefined,
      );
    },
    close: () => inner.close(),
  };
}
