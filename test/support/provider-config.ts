/**
 * The config and call context a provider adapter's unit test passes in, with defaults for what the test
 * does not look at.
 */
import { Cancellation } from '../../src/core/cancellation.js';
import type { CallContext, ProviderConfig } from '../../src/providers/provider-adapter.js';

export type ProviderConfigFields = Pick<ProviderConfig, 'name' | 'type' | 'baseUrl'> &
  Partial<ProviderConfig>;

/** No keys, no static headers, a 5 s attempt timeout and 4 connections, unless `fields` says otherwise. */
export function providerConfig(fields: ProviderConfigFields): ProviderConfig {
  return { apiKeys: [], timeoutMs: 5000, headers: {}, maxConnections: 4, ...fields };
}

/** A call nobody aborts, without client headers unless `fields` gives some. */
export function callContext(fields: Partial<CallContext> = {}): CallContext {
  return { cancel: new Cancellation(), requestId: 'req-1', clientHeaders: {}, ...fields };
}
