import { describe, expect, it } from 'vitest';
import type { CounterStore } from '../../storage/counter-store.js';
import { MemoryCounterStore } from '../../storage/memory/memory-counter-store.js';
import { resilientCounterStore } from '../../storage/resilient-counter-store.js';
import { LimitExceededError } from './rate-limit-error.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';
import { RateLimiter } from './rate-limiter.js';

const T0 = 1_700_000_040_000; // a minute boundary
const MINUTE = 60_000;
const rpm = (limit: number, scope: 'key' | 'global' = 'key'): RateLimitPolicy => ({
  id: `${scope}-rpm`,
  scope,
  unit: 'requests',
  limit,
  windowMs: MINUTE,
});
const tpm = (limit: number): RateLimitPolicy => ({
  id: 'key-tpm',
  scope: 'key',
  unit: 'tokens',
  limit,
  windowMs: MINUTE,
});

function setup(globalPolicies: RateLimitPolicy[] = [], store: CounterStore = new MemoryCounterStore()) {
  const clock = { now: T0 };
  const limiter = new RateLimiter(store, { globalPolicies, clock: () => clock.now });
  return { limiter, clock };
}

async function denied(promise: Promise<unknown>): Promise<LimitExceededError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof LimitExceededError))
    throw new Error(`expected a LimitExceededError, got ${String(error)}`);
  return error;
}

describe('RateLimiter', () => {
  it('counts requests per key and sends draft RateLimit headers, then a 429 with Retry-After', async () => {
    const { limiter } = setup();
    const admit = () => limiter.admit({ keyName: 'alice', keyPolicies: [rpm(3)], estimatedTokens: 10 });
    const headers = [(await admit()).headers, (await admit()).headers, (await admit()).headers];
    expect(headers[0]).toEqual({
      'RateLimit-Limit': '3',
      'RateLimit-Remaining': '2',
      'RateLimit-Reset': '60',
      'RateLimit-Policy': '3;w=60',
    });
    expect(headers.map((h) => h?.['RateLimit-Remaining'])).toEqual(['2', '1', '0']);
    const error = await denied(admit());
    expect(error).toMatchObject({ status: 429, failureClass: 'rate_limit', code: 'rate_limit_exceeded' });
    // Three in the first minute: the 4th fits once 3 * (1 - e/60s) + 1 <= 3, i.e. 20 s into the next one.
    expect(error.retryAfterMs).toBe(80_000);
    expect(error.headers).toMatchObject({
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '80',
      'Retry-After': '80',
    });
    // Another key has its own allowance.
    await expect(
      limiter.admit({ keyName: 'bob', keyPolicies: [rpm(3)], estimatedTokens: 10 }),
    ).resolves.toBeDefined();
  });

  it('shares a global policy across keys', async () => {
    const { limiter } = setup([rpm(2, 'global')]);
    await limiter.admit({ keyName: 'a', estimatedTokens: 1 });
    await limiter.admit({ keyName: 'b', estimatedTokens: 1 });
    const error = await denied(limiter.admit({ keyName: 'c', estimatedTokens: 1 }));
    expect(error.message).toBe('Rate limit exceeded: the gateway allows 2 requests per 60s');
  });

  it('charges the token estimate up front and settles it to the actual count', async () => {
    const { limiter, clock } = setup();
    const policies = [rpm(100), tpm(1000)];
    const first = await limiter.admit({ keyName: 'k', keyPolicies: policies, estimatedTokens: 600 });
    expect(first.headers?.['RateLimit-Remaining']).toBe('400'); // tokens are the tighter limit
    await denied(limiter.admit({ keyName: 'k', keyPolicies: policies, estimatedTokens: 600 }));
    clock.now += 1;
    await first.settle(100);
    await first.settle(100); // idempotent
    const second = await limiter.admit({ keyName: 'k', keyPolicies: policies, estimatedTokens: 600 });
    expect(second.headers?.['RateLimit-Remaining']).toBe('300');
    // The denied request's request count was handed back: 2 requests counted, not 3.
    const third = await limiter.admit({ keyName: 'k', keyPolicies: [rpm(100)], estimatedTokens: 0 });
    expect(third.headers?.['RateLimit-Remaining']).toBe('97');
  });

  it('refuses a request larger than the whole token allowance without a retry hint', async () => {
    const { limiter } = setup();
    const error = await denied(
      limiter.admit({ keyName: 'k', keyPolicies: [tpm(1000)], estimatedTokens: 5000 }),
    );
    expect(error).toMatchObject({ code: 'request_too_large', retryAfterMs: undefined });
    expect(error.message).toBe(
      'Request too large: about 5000 tokens, but this key may use 1000 tokens per 60s',
    );
    expect(error.headers['Retry-After']).toBeUndefined();
  });

  it('supports token buckets', async () => {
    const { limiter, clock } = setup();
    const bucket: RateLimitPolicy = { ...rpm(2), id: 'burst', windowMs: 1000, algorithm: 'token_bucket' };
    await limiter.admit({ keyName: 'k', keyPolicies: [bucket], estimatedTokens: 0 });
    await limiter.admit({ keyName: 'k', keyPolicies: [bucket], estimatedTokens: 0 });
    expect(
      (await denied(limiter.admit({ keyName: 'k', keyPolicies: [bucket], estimatedTokens: 0 }))).retryAfterMs,
    ).toBe(500);
    clock.now += 500;
    await expect(
      limiter.admit({ keyName: 'k', keyPolicies: [bucket], estimatedTokens: 0 }),
    ).resolves.toBeDefined();
  });

  it('reports degraded admission when the store is down and the policy is fail_open', async () => {
    const broken = new MemoryCounterStore();
    broken.hit = () => Promise.reject(new Error('ECONNREFUSED'));
    const { limiter } = setup([], resilientCounterStore(broken, { policy: 'fail_open' }));
    const ticket = await limiter.admit({ keyName: 'k', keyPolicies: [rpm(1)], estimatedTokens: 0 });
    expect(ticket.degraded).toBe(true);
  });

  it('has no headers when no policy applies', async () => {
    const { limiter } = setup();
    expect((await limiter.admit({ keyName: 'k', estimatedTokens: 5 })).headers).toBeUndefined();
  });

  it('rejects invalid policies', () => {
    expect(() => setup([{ ...rpm(0), id: 'zero' }])).toThrow(
      'rate limit "zero": limit must be a positive integer',
    );
  });
});
