import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_TTL_MS, parseStoreDuration, resolveStoreConfig, storeSchema } from './store-schema.js';

describe('[store]', () => {
  it('defaults: memory, 30 days, "junction:", 256 MiB, abandoned after 30 s', () => {
    const problems: string[] = [];
    expect(resolveStoreConfig(storeSchema.parse({}), {}, problems)).toEqual({
      backend: 'memory',
      ttlMs: DEFAULT_STORE_TTL_MS,
      keyPrefix: 'junction:',
      maxBytes: 256 * 1024 * 1024,
      abandonedAfterMs: 30_000,
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ['30d', 30 * 86_400_000],
    ['1d12h', 36 * 3_600_000],
    ['90m', 5_400_000],
    [1500, 1500],
  ])('ttl %s -> %s ms', (ttl, ms) => {
    expect(parseStoreDuration(ttl)).toBe(ms);
    expect(storeSchema.parse({ ttl }).ttl).toBe(ms);
  });

  it('refuses bad durations and unknown keys', () => {
    expect(storeSchema.safeParse({ ttl: 'soon' }).success).toBe(false);
    expect(storeSchema.safeParse({ backend: 'memory', urll: 'x' }).success).toBe(false);
    // A heartbeat window under a second would fail live responses on an ordinary GC pause.
    expect(storeSchema.safeParse({ abandoned_after: '500ms' }).success).toBe(false);
    expect(storeSchema.parse({ abandoned_after: '2m' }).abandoned_after).toBe(120_000);
  });

  it('redis: url resolved from env:, falling back to [limits] url; a missing one is a problem', () => {
    const section = storeSchema.parse({ backend: 'redis', url: 'env:STORE_REDIS', key_prefix: 't:' });
    const problems: string[] = [];
    expect(resolveStoreConfig(section, { STORE_REDIS: 'redis://127.0.0.1:6379/2' }, problems).url).toBe(
      'redis://127.0.0.1:6379/2',
    );
    resolveStoreConfig(section, {}, problems);
    expect(problems).toEqual(['store.url: environment variable STORE_REDIS is not set']);
    const bare = storeSchema.parse({ backend: 'redis' });
    expect(resolveStoreConfig(bare, {}, [], 'redis://limits').url).toBe('redis://limits');
    const missing: string[] = [];
    resolveStoreConfig(bare, {}, missing);
    expect(missing[0]).toMatch(/^store\.url: required/);
  });
});
