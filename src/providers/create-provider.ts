/**
 * Builds the adapter for one configured provider. The only place that knows every provider type.
 */
import { GatewayError } from '../core/errors.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createEchoAdapter } from './echo/echo-adapter.js';
import { createGeminiAdapter } from './gemini/gemini-adapter.js';
import { createOpenAIAdapter } from './openai/openai-adapter.js';
import type { ProviderAdapter, ProviderConfig } from './provider-adapter.js';

export function createProvider(config: ProviderConfig): ProviderAdapter {
  switch (config.type) {
    case 'echo':
      return createEchoAdapter(config);
    case 'openai':
      return createOpenAIAdapter(config);
    case 'anthropic':
      return createAnthropicAdapter(config);
    case 'gemini':
      return createGeminiAdapter(config);
    default:
      throw new GatewayError(
        'internal',
        `Unknown provider type "${config.type}" for provider ${config.name}`,
      );
  }
}
