/**
 * A key space of its own on the test Redis: a unique prefix, connections that are all closed together,
 * and a scan-and-delete for cleanup, so Redis-backed tests leave nothing behind.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient, redisReady } from '../redis/create-redis-client.js';
import { TEST_REDIS_URL } from './require-service.js';

export interface RedisTestSpace {
  prefix: string;
  /** A new connection, as a separate gateway node would have. */
  connect(): Promise<Redis>;
  /** Deletes every key under the prefix; returns how many there were. */
  deleteKeys(): Promise<number>;
  closeAll(): Promise<void>;
}

export function redisTestSpace(options: { commandTimeoutMs?: number } = {}): RedisTestSpace {
  const prefix = `junction-test:${randomUUID()}:`;
  const clients: Redis[] = [];
  const connect = async (): Promise<Redis> => {
    const redis = createRedisClient(
      TEST_REDIS_URL,
      options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs },
    );
    clients.push(redis);
    await redisReady(redis);
    return redis;
  };
  return {
    prefix,
    connect,
    deleteKeys: async () => deleteKeysWithPrefix(await connect(), prefix),
    closeAll: async () => {
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}

export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
