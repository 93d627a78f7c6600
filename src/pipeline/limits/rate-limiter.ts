/**
 * Request and token rate limits over a CounterStore. `admit` runs before the call: it counts one
 * request and the estimated tokens against every policy that applies (global ones and the key's own)
 * and throws a 429 when any is exhausted, handing back what the others already counted. The ticket's
 * `settle` replaces the token estimate with the real usage once the call is done.
 */
import type { CounterStore, HitResult } from '../../storage/counter-store.js';
import { LimitExceededError } from './rate-limit-error.js';
import {
  type PolicyOutcome,
  type RateLimitHeaders,
  rateLimitHeaders,
  tightestOutcome,
} from './rate-limit-headers.js';
import { policyCounterKey, type RateLimitPolicy, validatePolicy } from './rate-limit-policy.js';

export interface AdmitInput {
  keyName: string;
  /** The key's own policies (they may change at run time, so they are passed per call). */
  keyPolicies?: readonly RateLimitPolicy[];
  /** Input tokens estimate plus max output tokens, charged to `tokens` policies up front. */
  estimatedTokens: number;
}

export interface RateLimitTicket {
  /** RateLimit-* headers for the response; undefined when no policy applies. */
  headers?: RateLimitHeaders;
  /** True when the store was unreachable and fail_open let the request through uncounted. */
  degraded: boolean;
  /** Corrects token policies from the estimate to the actual count (idempotent). */
  settle(actualTokens: number): Promise<void>;
}

export interface RateLimiterOptions {
  globalPolicies?: readonly RateLimitPolicy[];
  clock?: () => number;
}

interface Counted {
  policy: RateLimitPolicy;
  key: string;
  cost: number;
}

export class RateLimiter {
  private globalPolicies: readonly RateLimitPolicy[];
  private readonly clock: () => number;

  constructor(
    private readonly store: CounterStore,
    options: RateLimiterOptions = {},
  ) {
    this.globalPolicies = [];
    this.setGlobalPolicies(options.globalPolicies ?? []);
    this.clock = options.clock ?? Date.now;
  }

  /** Replaces the global policy (admin changes take effect on the next request). */
  setGlobalPolicies(policies: readonly RateLimitPolicy[]): void {
    policies.forEach(validatePolicy);
    this.globalPolicies = policies;
  }

  async admit(input: AdmitInput): Promise<RateLimitTicket> {
    const policies = [...this.globalPolicies, ...(input.keyPolicies ?? [])];
    const estimated = Math.max(0, Math.ceil(input.estimatedTokens));
    const outcomes: PolicyOutcome[] = [];
    const counted: Counted[] = [];
    for (const policy of policies) {
      validatePolicy(policy);
      const cost = policy.unit === 'requests' ? 1 : estimated;
      const key = policyCounterKey(policy, input.keyName);
      const result = await this.take(policy, key, cost, false);
      outcomes.push({ policy, result });
      if (!result.allowed) {
        await this.refund(counted);
        throw denial(policy, result, estimated);
      }
      counted.push({ policy, key, cost });
    }
    const tightest = tightestOutcome(outcomes);
    // Corrections are dated at admission, so they land in the window bucket the estimate went to.
    const admittedAt = this.clock();
    let settled = false;
    return {
      ...(tightest ? { headers: rateLimitHeaders(tightest) } : {}),
      degraded: outcomes.some((outcome) => outcome.result.degraded === true),
      settle: async (actualTokens) => {
        if (settled) return;
        settled = true;
        const actual = Math.max(0, Math.ceil(actualTokens));
        for (const entry of counted) {
          if (entry.policy.unit === 'tokens' && actual !== entry.cost) {
            await this.take(entry.policy, entry.key, actual - entry.cost, true, admittedAt);
          }
        }
      },
    };
  }

  private async refund(counted: readonly Counted[]): Promise<void> {
    for (const entry of counted) await this.take(entry.policy, entry.key, -entry.cost, true);
  }

  private take(
    policy: RateLimitPolicy,
    key: string,
    cost: number,
    force: boolean,
    countedAt?: number,
  ): Promise<HitResult> {
    const now = this.clock();
    if (policy.algorithm === 'token_bucket') {
      const refillPerSec = (policy.limit * 1000) / policy.windowMs;
      return this.store.tokenBucket(key, policy.limit, refillPerSec, cost, now, { force });
    }
    return this.store.hit(key, policy.windowMs, policy.limit, cost, countedAt ?? now, { force });
  }
}

function denial(policy: RateLimitPolicy, result: HitResult, estimated: number): LimitExceededError {
  const headers = rateLimitHeaders({ policy, result });
  const scope = policy.scope === 'global' ? 'the gateway' : 'this key';
  const window = `${Math.ceil(policy.windowMs / 1000)}s`;
  if (!Number.isFinite(result.retryAfterMs)) {
    // Waiting would not help: the request alone is larger than the whole allowance.
    return new LimitExceededError(
      'rate_limit',
      `Request too large: about ${estimated} tokens, but ${scope} may use ${policy.limit} tokens per ${window}`,
      headers,
      { code: 'request_too_large' },
    );
  }
  return new LimitExceededError(
    'rate_limit',
    `Rate limit exceeded: ${scope} allows ${policy.limit} ${policy.unit} per ${window}`,
    headers,
    { code: 'rate_limit_exceeded', retryAfterMs: result.retryAfterMs },
  );
}
