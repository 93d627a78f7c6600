/**
 * Azure OpenAI: Chat Completions on the OpenAI adapter, with Azure's URLs (the target model is the
 * deployment name), `api-key` / Entra ID auth and Azure's error codes. Converter, decoder and the
 * same-dialect relay are the OpenAI adapter's. With an api-version that has the Responses API (v1, or
 * 2025-03-01-preview and later) Responses clients are relayed to Azure's Responses endpoint as well.
 */
import { createOpenAIChatAdapter } from '../openai/openai-adapter.js';
import type {
  EmbeddingCapable,
  ProviderAdapter,
  ProviderConfig,
  ProviderLog,
  RelayCapable,
  TokenCounting,
} from '../provider-adapter.js';
import { azureAuthHeaders } from './azure-auth-headers.js';
import { parseAzureOpenAIError } from './azure-error.js';
import {
  azureChatCompletionsUrl,
  azureEmbeddingsUrl,
  azureHasResponses,
  azureResponsesUrl,
  DEFAULT_AZURE_API_VERSION,
} from './azure-urls.js';

/** Azure's request ids (`apim-request-id` is the one its support asks for) and the serving region. */
const RELAYED_HEADERS = ['content-type', 'x-request-id', 'apim-request-id', 'x-ms-region'];

export function createAzureAdapter(
  config: ProviderConfig,
  log?: ProviderLog,
): ProviderAdapter & RelayCapable & TokenCounting & Partial<EmbeddingCapable> {
  const apiVersion = config.settings?.apiVersion ?? DEFAULT_AZURE_API_VERSION;
  return createOpenAIChatAdapter(
    config,
    {
      url: (deployment) => azureChatCompletionsUrl(config.baseUrl, apiVersion, deployment),
      embeddingsUrl: (deployment) => azureEmbeddingsUrl(config.baseUrl, apiVersion, deployment),
      ...(azureHasResponses(apiVersion)
        ? { responsesUrl: (suffix: string) => azureResponsesUrl(config.baseUrl, apiVersion, suffix) }
        : {}),
      authHeaders: (context) => azureAuthHeaders(config, context),
      relayedHeaders: RELAYED_HEADERS,
      parseError: parseAzureOpenAIError,
    },
    log,
  );
}
