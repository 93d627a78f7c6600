/**
 * The rate limiter on the real Redis, two limiter "nodes" with their own connections sharing one TPM,
 * driven by a logical clock: what a replica's settle does to the other replica's counts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCounterStore } from '../../storage/redis/redis-counter-store.js';
import { redisTestSpace } from '../../storage/testing/redis-test-space.js';
import { redisAvailable } from '../../storage/testing/require-service.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';
import { RateLimiter } from './rate-limiter.js';

const available = await redisAvailable();
const space = redisTestSpace();
const T0 = 1_700_000_040_000; // a minute boundary
const tpm: RateLimitPolicy = { id: 'tpm', scope: 'key', unit: 'tokens', limit: 1000, windowMs: 60_000 };

describe.skipIf(!available)('RateLimiter on Redis, two nodes', () => {
  afterAll(async () => {
    await space.deleteKeys();
    await space.closeAll();
  });

  const node = async (clock: { now: number }) =>
    new RateLimiter(
      new RedisCounterStore(await space.connect(), { keyPrefix: space.prefix, ownsClient: false }),
      {
        clock: () => clock.now,
      },
    );

  it("a long request settled after the window rolled over corrects its own bucket, not the other requests'", async () => {
    const clock = { now: T0 + 59_000 };
    const [a, b] = [await node(clock), await node(clock)];
    const keyName = `k-${space.prefix}`;
    // Node A admits a 600-token estimate just before the minute ends; the answer streams on.
    const long = await a.admit({ keyName, keyPolicies: [tpm], estimatedTokens: 600 });
    // Node B admits 300 tokens in the next minute (600 * 59/60 still weigh on the window).
    clock.now = T0 + 61_000;
    const short = await b.admit({ keyName, keyPolicies: [tpm], estimatedTokens: 300 });
    await short.settle(300);
    // A's request used only 10 tokens: its 590 come off the minute it was counted in.
    await long.settle(10);
    // The window now holds 10 * 59/60 + 300 ≈ 310 tokens: 690 more fit, 691 do not.
    const probe = await b.admit({ keyName, keyPolicies: [tpm], estimatedTokens: 690 });
    expect(probe.headers?.['RateLimit-Remaining']).toBe('0');
    await probe.settle(0);
    await expect(b.admit({ keyName, keyPolicies: [tpm], estimatedTokens: 691 })).rejects.toMatchObject({
      code: 'rate_limit_exceeded',
    });
  });
});
