/**
 * Shared counters for limits and budgets. Every method is one atomic step on the backend (one Lua script
 * on Redis), so N gateway nodes sharing a store enforce one limit, never N times it.
 *
 * Time is passed in (`now`, epoch ms) so the logic is testable without sleeping; backend TTLs are only
 * garbage collection and are set with a margin past the logical expiry.
 *
 * Amounts are integers (tokens, requests, micro-USD): Redis counts them with integer commands, so a
 * budget never drifts the way summed floats do.
 */

/** Result of a rate-limit check (sliding window or token bucket). */
export interface HitResult {
  allowed: boolean;
  /** What is left after this hit (floor, never negative). */
  remaining: number;
  /**
   * Milliseconds until the limit's current window rolls over (sliding window) or the bucket is full
   * again (token bucket); never less than `retryAfterMs`. Feeds `RateLimit-Reset`.
   */
  resetMs: number;
  /**
   * 0 when allowed; otherwise the wait after which the same cost would be allowed if nothing else
   * arrives. `Infinity` when the cost exceeds the limit itself and can never be allowed.
   */
  retryAfterMs: number;
  /** Set by the resilient wrapper when the backend failed and `fail_open` let the request through. */
  degraded?: boolean;
}

export interface ForceOption {
  /**
   * Apply `cost` unconditionally (it may be negative): used to correct a token estimate after the call.
   * A window count never goes below 0; a bucket may go into debt (negative tokens) and refills from there.
   */
  force?: boolean;
}

export type ReserveResult =
  | { ok: true; reservationId: string; remaining: number; degraded?: boolean }
  | {
      ok: false;
      /** When the earliest held reservation expires, if any; a spent budget frees only at period end. */
      retryAfterMs?: number;
      remaining: number;
    };

export interface ReserveOptions {
  /** Logical clock for reservation expiry; defaults to Date.now(). */
  now?: number;
  /**
   * Lifetime of the whole counter (spent total and reservations), e.g. until the budget period ends.
   * Omit for a counter that never expires ("total" budgets).
   */
  keyTtlMs?: number;
}

export interface SettleResult {
  /** False when the reservation had already expired or was unknown; the actual amount is recorded anyway. */
  found: boolean;
  degraded?: boolean;
}

export interface CounterBalance {
  /** Settled (really spent) amount. */
  used: number;
  /** Amount held by live reservations. */
  held: number;
}

export type ConcurrencyResult =
  | { allowed: true; leaseId: string; active: number; degraded?: boolean }
  | { allowed: false; active: number };

export interface CounterStore {
  /**
   * Sliding-window rate limit, approximated with two fixed buckets: the previous bucket's count is
   * weighted by how much of it still overlaps the window ending now, plus the current bucket's count.
   * A denied hit is not counted, so a client hammering a closed limit does not extend its own lockout.
   */
  hit(
    key: string,
    windowMs: number,
    limit: number,
    cost: number,
    now: number,
    options?: ForceOption,
  ): Promise<HitResult>;

  /** Token bucket: `capacity` tokens, refilled continuously at `refillPerSec`; a hit takes `cost`. */
  tokenBucket(
    key: string,
    capacity: number,
    refillPerSec: number,
    cost: number,
    now: number,
    options?: ForceOption,
  ): Promise<HitResult>;

  /**
   * Atomically holds `amount` if used + held + amount stays within `limit`; concurrent reservations can
   * never exceed the limit together. The hold expires after `ttlMs` so a crashed node cannot leak it.
   */
  reserve(
    key: string,
    amount: number,
    limit: number,
    ttlMs: number,
    options?: ReserveOptions,
  ): Promise<ReserveResult>;

  /**
   * Replaces the reservation with the real amount (recorded even if the reservation already expired).
   * `keyTtlMs` gives a counter created here (e.g. after a degraded reserve) its period's lifetime.
   */
  settle(
    key: string,
    reservationId: string,
    actualAmount: number,
    options?: Pick<ReserveOptions, 'keyTtlMs'>,
  ): Promise<SettleResult>;

  /** Drops the reservation without spending anything (the call failed). */
  release(key: string, reservationId: string): Promise<void>;

  /** Spent and held amounts, for admin views. */
  balance(key: string, now?: number): Promise<CounterBalance>;

  /**
   * Takes one of `limit` concurrency slots as a lease that lapses after `leaseMs` if never returned,
   * so a crashed holder cannot keep a slot forever. The lease must outlive the longest request.
   */
  incrementConcurrency(key: string, limit: number, leaseMs: number, now?: number): Promise<ConcurrencyResult>;

  decrementConcurrency(key: string, leaseId: string): Promise<void>;

  close(): Promise<void>;
}

/** Validates an integer amount before it reaches a backend that counts in integers. */
export function assertIntegerAmount(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
}
