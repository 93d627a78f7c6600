/**
 * Bearer-token auth, as most providers take it: the key the router chose, else the first configured one;
 * nothing when there is no key (local servers).
 */
import type { CallContext, ProviderConfig } from '../provider-adapter.js';

export function bearerAuth(config: ProviderConfig, context: CallContext): Record<string, string> {
  const apiKey = context.apiKey ?? config.apiKeys[0];
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** A JSON request with bearer auth; the configured static headers go after the defaults, auth last. */
export function bearerJsonHeaders(
  config: ProviderConfig,
  context: CallContext,
  accept: string,
): Record<string, string> {
  return { 'content-type': 'application/json', accept, ...config.headers, ...bearerAuth(config, context) };
}
