/**
 * One rate limit: how many requests or tokens a key (or everyone together) may use per window.
 */
export interface RateLimitPolicy {
  /** Stable name, part of the counter key: renaming a policy starts it from zero. */
  id: string;
  /** `key`: each caller has its own allowance; `global`: all callers share one. */
  scope: 'key' | 'global';
  unit: 'requests' | 'tokens';
  limit: number;
  windowMs: number;
  /**
   * `sliding_window` (default): at most `limit` over any window, approximated with two buckets.
   * `token_bucket`: bursts up to `limit`, refilled at limit / window.
   */
  algorithm?: 'sliding_window' | 'token_bucket';
}

export function validatePolicy(policy: RateLimitPolicy): void {
  if (!Number.isSafeInteger(policy.limit) || policy.limit < 1) {
    throw new RangeError(`rate limit "${policy.id}": limit must be a positive integer`);
  }
  if (!Number.isFinite(policy.windowMs) || policy.windowMs < 1) {
    throw new RangeError(`rate limit "${policy.id}": window must be positive`);
  }
}

export function policyCounterKey(policy: RateLimitPolicy, keyName: string): string {
  return policy.scope === 'global' ? `rl:${policy.id}:global` : `rl:${policy.id}:key:${keyName}`;
}
