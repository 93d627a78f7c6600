import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { counterStoreContract } from '../counter-store.contract.js';
import type { CounterStore } from '../counter-store.js';
import { redisTestSpace } from '../testing/redis-test-space.js';
import { redisAvailable } from '../testing/require-service.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { luaScript, runScript } from './run-script.js';

const available = await redisAvailable();
const space = redisTestSpace();
const { prefix, connect } = space;

describe.skipIf(!available)('RedisCounterStore', () => {
  afterAll(async () => {
    expect(await space.deleteKeys()).toBeGreaterThan(0);
    expect(await space.deleteKeys()).toBe(0);
    await space.closeAll();
  });

  // Each "node" gets its own connection, as separate gateway processes would.
  counterStoreContract('redis', {
    open: async (count: number): Promise<CounterStore[]> =>
      Promise.all(
        Array.from(
          { length: count },
          async () => new RedisCounterStore(await connect(), { keyPrefix: prefix, ownsClient: false }),
        ),
      ),
    cleanup: async () => {}, // the outer afterAll deletes every key, after the tests below too
  });

  it('falls back from EVALSHA to EVAL for a script the server has not cached', async () => {
    const redis = await connect();
    const script = luaScript(`return '${randomUUID()}'`, 0);
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    const first = await runScript(redis, script, [], []);
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await runScript(redis, script, [], [])).toBe(first);
  });

  it('stores keys under the prefix with a hash tag and a TTL', async () => {
    const redis = await connect();
    const store = new RedisCounterStore(redis, { keyPrefix: prefix, ownsClient: false });
    await store.hit('tagged', 1000, 5, 1, Date.now());
    const ttl = await redis.pttl(`${prefix}w:{tagged}`);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(3000);
  });
});
