/**
 * Token bucket as pure arithmetic, mirrored by the Redis Lua script. Tokens refill continuously;
 * a forced cost may push the bucket into debt, which later refills pay back first.
 */
import type { HitResult } from './counter-store.js';

export interface BucketState {
  tokens: number;
  /** Time of the last refill, epoch ms. */
  at: number;
}

export function takeFromBucket(
  state: BucketState | undefined,
  capacity: number,
  refillPerSec: number,
  cost: number,
  now: number,
  force = false,
): { state: BucketState; result: HitResult } {
  let tokens = capacity;
  let at = now;
  if (state) {
    // Never refill backwards when another node's clock is ahead of ours.
    at = Math.max(state.at, now);
    const elapsed = Math.max(0, now - state.at);
    tokens = Math.min(capacity, state.tokens + (elapsed * refillPerSec) / 1000);
  }
  const allowed = force || tokens >= cost;
  if (allowed) tokens = Math.min(capacity, tokens - cost);
  const retryAfterMs = allowed
    ? 0
    : cost > capacity
      ? Number.POSITIVE_INFINITY
      : Math.max(1, Math.ceil(((cost - tokens) * 1000) / refillPerSec));
  const untilFull = Math.ceil(((capacity - tokens) * 1000) / refillPerSec);
  return {
    state: { tokens, at },
    result: {
      allowed,
      remaining: Math.max(0, Math.floor(tokens)),
      resetMs: Math.max(untilFull, retryAfterMs),
      retryAfterMs,
    },
  };
}

/** How long an untouched bucket must be kept before it would be full again anyway. */
export function bucketTtlMs(capacity: number, refillPerSec: number, tokens: number): number {
  return Math.ceil(((capacity - Math.min(tokens, capacity)) * 1000) / refillPerSec);
}
