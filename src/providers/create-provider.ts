/**
 * Builds the adapter for one configured provider. The only place that knows every provider type. `log` is
 * where an adapter reports what it learns about its upstream (an OpenAI-wire host refusing a field).
 */
import { GatewayError } from '../core/errors.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createAzureAdapter } from './azure/azure-adapter.js';
import { createBedrockAdapter } from './bedrock/bedrock-adapter.js';
import { createCohereAdapter } from './cohere/cohere-adapter.js';
import { createEchoAdapter } from './echo/echo-adapter.js';
import { createGeminiAdapter } from './gemini/gemini-adapter.js';
import { createMistralAdapter } from './mistral/mistral-adapter.js';
import { createOllamaAdapter } from './ollama/ollama-adapter.js';
import { createOpenAIAdapter } from './openai/openai-adapter.js';
import { createPresetAdapter, isPresetType } from './openai-compatible/presets.js';
import type { ProviderAdapter, ProviderConfig, ProviderLog } from './provider-adapter.js';
import { createVertexAdapter } from './vertex/vertex-adapter.js';

export function createProvider(config: ProviderConfig, log?: ProviderLog): ProviderAdapter {
  switch (config.type) {
    case 'echo':
      return createEchoAdapter(config);
    case 'openai':
      return createOpenAIAdapter(config, log);
    case 'anthropic':
      return createAnthropicAdapter(config);
    case 'gemini':
      return createGeminiAdapter(config);
    case 'bedrock':
      return createBedrockAdapter(config);
    case 'vertex':
      return createVertexAdapter(config);
    case 'azure':
      return createAzureAdapter(config, log);
    case 'cohere':
      return createCohereAdapter(config);
    case 'mistral':
      return createMistralAdapter(config);
    case 'ollama':
      return createOllamaAdapter(config);
    default:
      if (isPresetType(config.type)) return createPresetAdapter(config, log);
      throw new GatewayError(
        'internal',
        `Unknown provider type "${config.type}" for provider ${config.name}`,
      );
  }
}
