import { describe, expect, it } from 'vitest';
import { redisTestSpace } from '../testing/redis-test-space.js';
import { redisAvailable } from '../testing/require-service.js';
import { RedisResponseStore } from './redis-response-store.js';
import { responseStoreContract } from './response-store.contract.js';
import type { ResponseStore } from './response-store.js';

const available = await redisAvailable();
// The request-path client fails commands after 500 ms; a test machine under load needs more slack.
const space = redisTestSpace({ commandTimeoutMs: 5000 });
const { prefix, connect } = space;

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
      expect(await space.deleteKeys()).toBeGreaterThan(0);
      expect(await space.deleteKeys()).toBe(0);
      await space.closeAll();
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
