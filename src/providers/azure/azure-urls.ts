/**
 * Azure OpenAI URLs. A dated api-version addresses the deployment in the path
 * (`/openai/deployments/{deployment}/...?api-version=...`); "v1" is the OpenAI-compatible surface
 * (`/openai/v1/...`) where the deployment goes in the body's `model`, as on OpenAI.
 */

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** The resource origin, tolerating a base URL given with `/openai` or `/openai/v1` already on it. */
export function azureResourceRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/openai(\/v1)?$/, '');
}

export function isAzureV1(apiVersion: string): boolean {
  return apiVersion === 'v1';
}

export function azureChatCompletionsUrl(baseUrl: string, apiVersion: string, deployment: string): string {
  const root = azureResourceRoot(baseUrl);
  if (isAzureV1(apiVersion)) return `${root}/openai/v1/chat/completions`;
  return `${root}/openai/deployments/${encodeURIComponent(deployment)}/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
}

/** The embeddings endpoint: the deployment in the path for dated versions, in the body's `model` for v1. */
export function azureEmbeddingsUrl(baseUrl: string, apiVersion: string, deployment: string): string {
  const root = azureResourceRoot(baseUrl);
  if (isAzureV1(apiVersion)) return `${root}/openai/v1/embeddings`;
  return `${root}/openai/deployments/${encodeURIComponent(deployment)}/embeddings?api-version=${encodeURIComponent(apiVersion)}`;
}

/**
 * The Responses endpoint (`suffix` '/input_tokens' for token counting). Azure serves Responses without a
 * deployment segment in either style: the deployment is the body's `model`. Dated versions need one that
 * has Responses (2025-03-01-preview or later, see azureHasResponses); the Chat Completions default
 * 2024-10-21 does not.
 */
export function azureResponsesUrl(baseUrl: string, apiVersion: string, suffix = ''): string {
  const root = azureResourceRoot(baseUrl);
  if (isAzureV1(apiVersion)) return `${root}/openai/v1/responses${suffix}`;
  return `${root}/openai/responses${suffix}?api-version=${encodeURIComponent(apiVersion)}`;
}

/** The first dated api-version with the Responses API. */
export const FIRST_AZURE_RESPONSES_VERSION = '2025-03-01';

/** Whether this api-version serves the Responses API (v1, or a dated version from 2025-03-01-preview on). */
export function azureHasResponses(apiVersion: string): boolean {
  if (isAzureV1(apiVersion)) return true;
  const date = /^(\d{4}-\d{2}-\d{2})/.exec(apiVersion)?.[1];
  return date !== undefined && date >= FIRST_AZURE_RESPONSES_VERSION;
}
