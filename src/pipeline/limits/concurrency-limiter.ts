/**
 * Max concurrent requests per key. A slot is a lease in the CounterStore, so a node that crashes
 * mid-request gives its slots back when the lease lapses.
 */
import type { CounterStore } from '../../storage/counter-store.js';
import { LimitExceededError } from './rate-limit-error.js';

export interface ConcurrencyLimiterOptions {
  /** Must outlive the longest request (streams included). */
  leaseMs?: number;
  clock?: () => number;
}

export class ConcurrencyLimiter {
  private readonly leaseMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly store: CounterStore,
    options: ConcurrencyLimiterOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Takes a slot or throws 429; the returned function gives it back (safe to call twice). */
  async acquire(keyName: string, limit: number): Promise<() => Promise<void>> {
    const key = `conc:${keyName}`;
    const result = await this.store.incrementConcurrency(key, limit, this.leaseMs, this.clock());
    if (!result.allowed) {
      throw new LimitExceededError(
        'rate_limit',
        `Too many concurrent requests: this key allows ${limit} at a time`,
        { 'Retry-After': '1' },
        { code: 'concurrency_limit_exceeded', retryAfterMs: 1000 },
      );
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.store.decrementConcurrency(key, result.leaseId);
    };
  }
}
