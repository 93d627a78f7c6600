/**
 * The ResponseStore `[store]` asks for: memory (the default; bounded, one node) or Redis / Valkey (shared
 * by every node). The Redis client queues commands while it connects, unlike the request-path client
 * of the limits: stored state is read once per turn and must not fail just because the node is young.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StoreConfig } from '../config/store-schema.js';
import { DEFAULT_STORE_MAX_BYTES, DEFAULT_STORE_TTL_MS } from '../config/store-schema.js';
import { MemoryResponseStore } from '../storage/response-store/memory-response-store.js';
import { RedisResponseStore } from '../storage/response-store/redis-response-store.js';
import type { ResponseStore } from '../storage/response-store/response-store.js';

export function createResponseStore(config: StoreConfig | undefined, logger: Logger): ResponseStore {
  const ttlMs = config?.ttlMs ?? DEFAULT_STORE_TTL_MS;
  if (config?.backend !== 'redis' || config.url === undefined) {
    return new MemoryResponseStore({ maxBytes: config?.maxBytes ?? DEFAULT_STORE_MAX_BYTES, ttlMs });
  }
  const redis = new Redis(config.url, {
    commandTimeout: 5_000,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), 2_000),
  });
  const log = logger.child({ component: 'response-store' });
  redis.on('error', (error: Error) => log.warn({ err: error.message }, 'response store: redis error'));
  return new RedisResponseStore(redis, { keyPrefix: config.keyPrefix, ttlMs, ownsClient: true });
}
