/**
 * `[store]`: where Responses API state lives (stored responses, their items and stream events, and
 * conversations). Memory is the embedded default (one node, bounded by `max_bytes`, LRU); Redis (or Valkey)
 * is shared by every node, so a conversation started on one node continues on another.
 *
 * ```toml
 * [store]
 * backend = "memory"        # or "redis"
 * url = "env:REDIS_URL"     # redis only; defaults to [limits] url
 * ttl = "30d"
 * key_prefix = "junction:"
 * max_bytes = 268435456     # memory only
 * abandoned_after = "30s"   # a running background response without a heartbeat this long is failed
 * ```
 */
import { z } from 'zod';
import { parseDuration } from './parse-duration.js';
import type { Env } from './resolve-secret.js';
import { resolveSecret } from './resolve-secret.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_STORE_TTL_MS = 30 * DAY_MS;
export const DEFAULT_STORE_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_ABANDONED_AFTER_MS = 30_000;

export interface StoreConfig {
  backend: 'memory' | 'redis';
  /** Resolved redis:// URL (backend redis). */
  url?: string;
  ttlMs: number;
  keyPrefix: string;
  /** Bound of the memory backend. */
  maxBytes: number;
  /** A queued or in_progress background response whose node sent no heartbeat for this long is failed. */
  abandonedAfterMs: number;
}

/** Durations as elsewhere in the config, plus whole days ("30d", "1d12h"): stored state lives for days. */
export function parseStoreDuration(value: string | number): number {
  if (typeof value === 'number') return parseDuration(value);
  const days = /^\s*(\d+(?:\.\d+)?)d(.*)$/.exec(value);
  if (!days) return parseDuration(value);
  const rest = days[2]!.trim();
  return Math.round(Number(days[1]) * DAY_MS) + (rest === '' ? 0 : parseDuration(rest));
}

const storeDurationSchema = z
  .union([z.number(), z.string()], { error: 'must be a duration like "30d", "12h" or milliseconds' })
  .transform((value, ctx) => {
    try {
      return parseStoreDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

export const storeSchema = z.strictObject({
  backend: z.enum(['memory', 'redis']).default('memory'),
  /** redis://... (may be env:); with backend = "redis". Defaults to [limits] url. */
  url: z.string().min(1).optional(),
  ttl: storeDurationSchema.default(DEFAULT_STORE_TTL_MS),
  key_prefix: z.string().default('junction:'),
  max_bytes: z.int().positive('must be at least 1').default(DEFAULT_STORE_MAX_BYTES),
  abandoned_after: storeDurationSchema
    .refine((ms) => ms >= 1_000, 'must be at least 1s')
    .default(DEFAULT_ABANDONED_AFTER_MS),
});
export type StoreSection = z.output<typeof storeSchema>;

/**
 * The StoreConfig with its URL resolved (`env:` read from `env`); problems are pushed, not thrown.
 * `fallbackUrl` is [limits] url, already resolved.
 */
export function resolveStoreConfig(
  section: StoreSection,
  env: Env,
  problems: string[],
  fallbackUrl?: string,
): StoreConfig {
  const config: StoreConfig = {
    backend: section.backend,
    ttlMs: section.ttl,
    keyPrefix: section.key_prefix,
    maxBytes: section.max_bytes,
    abandonedAfterMs: section.abandoned_after,
  };
  if (section.url !== undefined) {
    const resolved = resolveSecret(section.url, env);
    if (resolved.ok) config.url = resolved.value;
    else problems.push(`store.url: ${resolved.problem}`);
  } else if (section.backend === 'redis') {
    if (fallbackUrl === undefined)
      problems.push('store.url: required with backend = "redis" (e.g. url = "env:REDIS_URL")');
    else config.url = fallbackUrl;
  }
  return config;
}
