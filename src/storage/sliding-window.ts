/**
 * Two-bucket sliding window, as pure arithmetic. The memory store runs it directly; the Redis Lua
 * script mirrors it operation for operation, so both backends agree to the bit.
 */
import type { HitResult } from './counter-store.js';

export interface WindowState {
  /** Index of the current fixed bucket: floor(time / windowMs). */
  bucket: number;
  current: number;
  previous: number;
}

export interface WindowStep {
  state: WindowState;
  result: HitResult;
}

export function slideWindow(
  state: WindowState | undefined,
  windowMs: number,
  limit: number,
  cost: number,
  now: number,
  force = false,
): WindowStep {
  let bucket = Math.floor(now / windowMs);
  let current = 0;
  let previous = 0;
  if (force && state && bucket < state.bucket) {
    // A correction dated in an earlier bucket (a request admitted before the rollover, settled after it)
    // belongs to the bucket its hit was counted in: the previous one, or none that still counts. Applied
    // to the current bucket it would erase other requests' counts.
    const previousNow = bucket === state.bucket - 1 ? Math.max(0, state.previous + cost) : state.previous;
    return {
      state: { ...state, previous: previousNow },
      result: { allowed: true, remaining: 0, resetMs: 0, retryAfterMs: 0 },
    };
  }
  if (state) {
    // A node whose clock runs a little behind must not rewind a bucket another node already opened.
    if (bucket < state.bucket) bucket = state.bucket;
    if (bucket === state.bucket) {
      current = state.current;
      previous = state.previous;
    } else if (bucket === state.bucket + 1) {
      previous = state.current;
    }
  }
  const elapsed = Math.max(0, now - bucket * windowMs);
  const untilRollover = windowMs - elapsed;
  const estimate = (previous * untilRollover) / windowMs + current;
  const allowed = force || (estimate < limit && estimate + cost <= limit);
  if (allowed) current = Math.max(0, current + cost);
  const used = allowed ? estimate + cost : estimate;
  const retryAfterMs = allowed ? 0 : waitFor(previous, current, windowMs, untilRollover, limit, cost);
  return {
    state: { bucket, current, previous },
    result: {
      allowed,
      remaining: Math.max(0, Math.floor(limit - used)),
      resetMs: Math.max(Math.ceil(untilRollover), retryAfterMs),
      retryAfterMs,
    },
  };
}

/** Earliest wait after which `cost` fits, assuming no other hits meanwhile. */
function waitFor(
  previous: number,
  current: number,
  windowMs: number,
  untilRollover: number,
  limit: number,
  cost: number,
): number {
  if (cost > limit) return Number.POSITIVE_INFINITY;
  if (current + cost <= limit && previous > 0) {
    // Fits in this bucket once the previous bucket's weight has decayed enough.
    const wait = untilRollover - ((limit - current - cost) * windowMs) / previous;
    return Math.max(1, Math.ceil(wait));
  }
  // Only after rollover: then the current count becomes the decaying previous one.
  const afterRollover = current > 0 ? windowMs - ((limit - cost) * windowMs) / current : 0;
  return Math.max(1, Math.ceil(untilRollover + Math.max(0, afterRollover)));
}
