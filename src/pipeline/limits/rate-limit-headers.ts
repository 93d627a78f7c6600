/**
 * RateLimit-* response headers (IETF httpapi ratelimit-headers draft): when several limits apply, the
 * one closest to exhaustion is reported. Reset is delta-seconds, rounded up so a client waiting that
 * long is never early.
 */
import type { HitResult } from '../../storage/counter-store.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';

export interface PolicyOutcome {
  policy: RateLimitPolicy;
  result: HitResult;
}

export type RateLimitHeaders = Record<string, string>;

/** The outcome that should speak for all: a denial first, else the lowest remaining share. */
export function tightestOutcome(outcomes: readonly PolicyOutcome[]): PolicyOutcome | undefined {
  let tightest: PolicyOutcome | undefined;
  for (const outcome of outcomes) {
    if (!tightest || tighter(outcome, tightest)) tightest = outcome;
  }
  return tightest;
}

function tighter(a: PolicyOutcome, b: PolicyOutcome): boolean {
  if (a.result.allowed !== b.result.allowed) return !a.result.allowed;
  const shareA = a.result.remaining / a.policy.limit;
  const shareB = b.result.remaining / b.policy.limit;
  if (shareA !== shareB) return shareA < shareB;
  return a.result.resetMs > b.result.resetMs;
}

export function rateLimitHeaders(outcome: PolicyOutcome): RateLimitHeaders {
  const { policy, result } = outcome;
  const headers: RateLimitHeaders = {
    'RateLimit-Limit': String(policy.limit),
    'RateLimit-Remaining': String(result.remaining),
    'RateLimit-Reset': String(Math.ceil(finite(result.resetMs, policy.windowMs) / 1000)),
    'RateLimit-Policy': `${policy.limit};w=${Math.ceil(policy.windowMs / 1000)}`,
  };
  if (!result.allowed && Number.isFinite(result.retryAfterMs)) {
    headers['Retry-After'] = String(Math.ceil(result.retryAfterMs / 1000));
  }
  return headers;
}

function finite(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}
