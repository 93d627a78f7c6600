import { describe } from 'vitest';
import { redisTestSpace } from '../../storage/testing/redis-test-space.js';
import { redisAvailable } from '../../storage/testing/require-service.js';
import { RedisRuntimeStore } from './redis-runtime-store.js';
import { runtimeStoreContract } from './runtime-store.contract.js';

const available = await redisAvailable();
// The request-path client fails commands after 500 ms; a test machine under load needs more slack.
const space = redisTestSpace({ commandTimeoutMs: 5000 });

describe.skipIf(!available)('RedisRuntimeStore', () => {
  // Each "node" gets its own connection, as separate gateway processes would.
  runtimeStoreContract('redis', {
    open: async (count) =>
      Promise.all(
        Array.from({ length: count }, async () => new RedisRuntimeStore(await space.connect(), space.prefix)),
      ),
    cleanup: async () => {
      await space.deleteKeys();
      await space.closeAll();
    },
  });
});
