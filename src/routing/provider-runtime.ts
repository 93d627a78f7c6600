/**
 * What the router holds per provider besides the adapter: its key pool and its concurrency limiter.
 */
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { KeyPool } from './key-pool.js';

export interface ProviderRuntimeOptions {
  apiKeys: readonly string[];
  maxConcurrent?: number;
  maxQueue?: number;
  queueTimeoutMs?: number;
}

export interface ProviderRuntime {
  adapter: ProviderAdapter;
  keys: KeyPool;
  limiter?: ConcurrencyLimiter;
}

export function createProviderRuntime(
  adapter: ProviderAdapter,
  options: ProviderRuntimeOptions,
): ProviderRuntime {
  const runtime: ProviderRuntime = { adapter, keys: new KeyPool(options.apiKeys) };
  if (options.maxConcurrent !== undefined) {
    runtime.limiter = new ConcurrencyLimiter(adapter.name, {
      maxConcurrent: options.maxConcurrent,
      // A queue as deep as the limit: enough to absorb a burst, short enough to fail fast under overload.
      maxQueue: options.maxQueue ?? options.maxConcurrent,
      queueTimeoutMs: options.queueTimeoutMs ?? 5_000,
    });
  }
  return runtime;
}
