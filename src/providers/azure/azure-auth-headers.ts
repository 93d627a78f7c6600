/**
 * Azure OpenAI auth: an `api-key` header (the key the router chose, else the first configured), or a
 * Microsoft Entra ID bearer token when no key is configured.
 */
import type { CallContext, ProviderConfig } from '../provider-adapter.js';

export function azureAuthHeaders(config: ProviderConfig, context: CallContext): Record<string, string> {
  const apiKey = context.apiKey ?? config.apiKeys[0];
  if (apiKey) return { 'api-key': apiKey };
  const token = config.settings?.bearerToken;
  return token ? { authorization: `Bearer ${token}` } : {};
}
