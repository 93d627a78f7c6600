/**
 * The governance sections a config gets when it writes none of them: what the config tests expect
 * beside their own tables.
 */
import type { GatewayConfig } from './types.js';

export const DEFAULT_GOVERNANCE: Pick<
  GatewayConfig,
  'auth' | 'limits' | 'cache' | 'policy' | 'pricing' | 'usage'
> = {
  auth: {},
  limits: {
    backend: 'memory',
    keyPrefix: 'junction:',
    onRedisFailure: 'fail_open',
    algorithm: 'sliding_window',
    windowMs: 60_000,
    budgetSnapshotIntervalMs: 5_000,
  },
  cache: {
    enabled: false,
    backend: 'memory',
    ttlMs: 3_600_000,
    maxBytes: 64 * 1024 * 1024,
    maxEntryBytes: 1024 * 1024,
    perKey: false,
  },
  policy: {
    guardrails: {
      bannedPhrases: [],
      denyPatterns: [],
      redactPatterns: [],
      builtinDeny: [],
      builtinRedact: [],
      applyTo: 'both',
      streamWindow: 128,
    },
  },
  pricing: [],
  usage: { enabled: true, queueSize: 10_000, batch: 500, flushIntervalMs: 1_000 },
};
