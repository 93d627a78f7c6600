import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisClient, redisReady } from '../redis/create-redis-client.js';
import { redisAvailable, TEST_REDIS_URL } from '../testing/require-service.js';
import { RedisResponseStore } from './redis-response-store.js';
import { responseStoreContract } from './response-store.contract.js';
import type { ResponseStore } from './response-store.js';

const available = await redisAvailable();
const prefix = `junction-test:${randomUUID()}:`;
const clients: Redis[] = [];

async function connect(): Promise<Redis> {
  // The request-path client fails commands after 500 ms; a test machine under load needs more slack.
  const redis = createRedisClient(TEST_REDIS_URL, { commandTimeoutMs: 5000 });
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

describe.skipIf(!available)('RedisResponseStore', () => {
  // Each "node" gets its own connection, as separate gateway processes would.
  responseStoreContract('redis', {
    open: async (count, options): Promise<ResponseStore[]> =>
      Promise.all(
        Array.from(
          { length: count },
          async () =>
            new RedisResponseStore(await connect(), {
              keyPrefix: prefix,
              ownsClient: false,
              ...(options?.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
            }),
        ),
      ),
    cleanup: async () => {
      const redis = await connect();
      expect(await deletePrefixed(redis)).toBeGreaterThan(0);
      expect(await deletePrefixed(redis)).toBe(0);
      await Promise.all(clients.map((client) => client.quit()));
    },
  });

  it('keeps each record under the prefix, hash-tagged, with a TTL', async () => {
    const redis = await connect();
    const store = new RedisResponseStore(redis, { keyPrefix: prefix, ownsClient: false, ttlMs: 60_000 });
    const { id } = await store.createConversation('k', { items: [{ id: 'msg_1', type: 'message' }] });
    await store.put({
      id: 'resp_ttl',
      ownerKey: 'k',
      createdAt: 0,
      status: 'completed',
      response: {},
      inputItems: [],
      outputItems: [],
    });
    for (const key of [
      `${prefix}resp:{resp_ttl}`,
      `${prefix}conv:{${id}}`,
      `${prefix}conv:{${id}}:order`,
      `${prefix}conv:{${id}}:items`,
    ]) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(50_000);
      expect(ttl, key).toBeLessThanOrEqual(60_000);
    }
  });
});
