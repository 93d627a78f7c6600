import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { counterStoreContract } from '../counter-store.contract.js';
import type { CounterStore } from '../counter-store.js';
import { redisAvailable, TEST_REDIS_URL } from '../testing/require-service.js';
import { createRedisClient, redisReady } from './create-redis-client.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { luaScript, runScript } from './run-script.js';

const available = await redisAvailable();
const prefix = `junction-test:${randomUUID()}:`;
const clients: Redis[] = [];

async function connect(): Promise<Redis> {
  const redis = createRedisClient(TEST_REDIS_URL);
  clients.push(redis);
  await redisReady(redis);
  return redis;
}

async function deletePrefixed(redis: Redis): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

describe.skipIf(!available)('RedisCounterStore', () => {
  afterAll(async () => {
    const redis = await connect();
    expect(await deletePrefixed(redis)).toBeGreaterThan(0);
    expect(await deletePrefixed(redis)).toBe(0);
    await Promise.all(clients.map((client) => client.quit()));
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
