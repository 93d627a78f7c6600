import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../storage/memory/memory-counter-store.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

describe('ConcurrencyLimiter', () => {
  it('admits up to the limit per key and frees a slot on release or lease expiry', async () => {
    const clock = { now: 1_000_000 };
    const limiter = new ConcurrencyLimiter(new MemoryCounterStore(), {
      leaseMs: 30_000,
      clock: () => clock.now,
    });
    const release = await limiter.acquire('k', 2);
    await limiter.acquire('k', 2);
    await expect(limiter.acquire('k', 2)).rejects.toMatchObject({
      status: 429,
      code: 'concurrency_limit_exceeded',
      headers: { 'Retry-After': '1' },
    });
    await expect(limiter.acquire('other', 2)).resolves.toBeTypeOf('function');
    await release();
    await release(); // a second release must not free someone else's slot
    await limiter.acquire('k', 2);
    await expect(limiter.acquire('k', 2)).rejects.toMatchObject({ status: 429 });
    clock.now += 30_000; // every lease lapsed: the holders crashed
    await limiter.acquire('k', 2);
    await limiter.acquire('k', 2);
  });
});
