/** Max concurrent requests per key: a lease taken before the call and returned when it ends. */
import type { ConcurrencyLimiter } from '../limits/concurrency-limiter.js';
import type { Stage } from '../stage.js';

export function concurrencyStage(limiter: ConcurrencyLimiter): Stage {
  return {
    name: 'concurrency',
    begin(context) {
      const limit = context.identity.limits?.maxConcurrent;
      if (limit === undefined) return undefined;
      return limiter.acquire(context.identity.keyName, limit).then((release) => ({ end: () => release() }));
    },
  };
}
