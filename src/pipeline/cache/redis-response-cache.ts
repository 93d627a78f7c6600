/**
 * Cache entries in Redis, shared by every node: one string per entry with the TTL as its expiry, so
 * Redis evicts them itself. Listing and clearing walk the prefix with SCAN (never KEYS).
 */
import type { Redis } from 'ioredis';
import { summary } from './memory-response-cache.js';
import type { CacheEntry, CacheEntrySummary, ResponseCache } from './response-cache.js';

export class RedisResponseCache implements ResponseCache {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}cache:`;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const json = await this.redis.get(this.prefix + key);
    return json === null ? undefined : (JSON.parse(json) as CacheEntry);
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const ttlMs = Math.max(1, entry.expiresAt - Date.now());
    await this.redis.set(this.prefix + key, JSON.stringify(entry), 'PX', ttlMs);
  }

  async list(limit: number): Promise<CacheEntrySummary[]> {
    const out: CacheEntrySummary[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 200);
      cursor = next;
      if (keys.length === 0) continue;
      const values = await this.redis.mget(...keys);
      keys.forEach((fullKey, index) => {
        const json = values[index];
        if (json == null || out.length >= limit) return;
        out.push(summary(fullKey.slice(this.prefix.length), JSON.parse(json) as CacheEntry, json.length));
      });
    } while (cursor !== '0' && out.length < limit);
    return out;
  }

  async clear(): Promise<number> {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return removed;
  }

  async close(): Promise<void> {}
}
