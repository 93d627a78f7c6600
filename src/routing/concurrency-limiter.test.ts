import { describe, expect, it } from 'vitest';
import { Cancellation } from '../core/cancellation.js';
import { GatewayError } from '../core/errors.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

const signal = new Cancellation();

describe('ConcurrencyLimiter', () => {
  it('admits up to the limit, queues in order, and hands slots over on release', async () => {
    const limiter = new ConcurrencyLimiter('p', { maxConcurrent: 2, maxQueue: 2, queueTimeoutMs: 1_000 });
    const r1 = await limiter.acquire(signal);
    await limiter.acquire(signal);
    const order: number[] = [];
    const w1 = limiter.acquire(signal).then((release) => {
      order.push(1);
      return release;
    });
    const w2 = limiter.acquire(signal).then((release) => {
      order.push(2);
      return release;
    });
    expect(limiter.queued).toBe(2);
    await expect(limiter.acquire(signal)).rejects.toMatchObject({
      status: 503,
      failureClass: 'overloaded',
      retryAfterMs: 1_000,
    });
    r1();
    r1();
    (await w1)();
    await w2;
    expect(order).toEqual([1, 2]);
    expect(limiter.inFlight).toBe(2);
  });

  it('times out a queued caller with 503', async () => {
    const limiter = new ConcurrencyLimiter('p', { maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 30 });
    await limiter.acquire(signal);
    const error = await limiter.acquire(signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(503);
    expect(limiter.queued).toBe(0);
  });
});
