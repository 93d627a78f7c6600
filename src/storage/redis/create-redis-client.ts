/**
 * An ioredis client tuned for the request path: commands fail fast (short timeout, no offline queue,
 * no per-command retries) so a Redis outage turns into the configured fail_open / fail_closed policy
 * within milliseconds instead of stalling requests; the connection itself keeps retrying in the
 * background, which is how the gateway recovers by itself.
 */
import { Redis } from 'ioredis';

export interface RedisClientOptions {
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Ceiling of the reconnect backoff. */
  maxReconnectDelayMs?: number;
  /** Receives connection errors (ioredis emits them as events; unhandled ones would be printed). */
  onError?: (error: Error) => void;
}

export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  const redis = new Redis(url, {
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  });
  redis.on('error', options.onError ?? (() => {}));
  return redis;
}

/** Resolves once the client can take commands (with enableOfflineQueue off, earlier commands fail). */
export function redisReady(redis: Redis, timeoutMs = 2000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs}ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
