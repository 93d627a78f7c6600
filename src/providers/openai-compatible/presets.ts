/**
 * The OpenAI-wire family as presets over the `openai` adapter: a default base URL (PRESET_BASE_URLS in the
 * config schema), Bearer auth, and each host's quirks. A quirk is here only with a source saying the host
 * refuses or renames something; anything unconfirmed is passed through untouched.
 */

import type { PresetType } from '../../config/config-schema.js';
import { PRESET_BASE_URLS } from '../../config/config-schema.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { createOpenAIChatAdapter } from '../openai/openai-adapter.js';
import type { ProviderAdapter, ProviderConfig, ProviderLog, RelayCapable } from '../provider-adapter.js';
import { bearerAuth } from '../shared/bearer-auth.js';
import { adaptGroqReasoning, groqTakesReasoningEffort } from './groq-reasoning.js';
import { adaptOpenRouterReasoning, adaptOpenRouterReasoningDetails } from './openrouter-reasoning.js';
import { preparePresetBody } from './prepare-preset-body.js';
import type { Preset } from './preset.js';
import { adaptXaiReasoning, isXaiReasoningModel, xaiTakesReasoningEffort } from './xai-reasoning.js';

/**
 * `max_completion_tokens` is OpenAI's newer name; the classic `max_tokens` is what every compatible server
 * documents (and what vercel/ai's openai-compatible provider sends to all of them), so hosts not known to
 * take the new name get the old one from the translated path.
 */
function useMaxTokens(body: Record<string, unknown>): void {
  if (body.max_completion_tokens === undefined) return;
  body.max_tokens = body.max_completion_tokens;
  delete body.max_completion_tokens;
}

const maxTokensOnly = (body: Record<string, unknown>, _request: ProviderRequest): void => useMaxTokens(body);

export const PRESETS: Record<PresetType, Preset> = {
  // OpenRouter honours max_completion_tokens (fixtures/openai-chat/pydantic-ai-openrouter_stream_error.yaml
  // sends 10 and stops with "length"). App attribution (HTTP-Referer, X-Title) is optional: set it in
  // the provider's `headers`.
  openrouter: {
    docs: 'https://openrouter.ai/docs/use-cases/reasoning-tokens',
    embeddings: { docs: 'https://openrouter.ai/docs/api/reference/embeddings' },
    adapt: (body, request) => {
      adaptOpenRouterReasoning(body, request);
      adaptOpenRouterReasoningDetails(body, request);
    },
  },
  // "The following fields are currently not supported and will result in a 400 error (yikes) if they are
  // supplied: logprobs, logit_bias, top_logprobs, messages[].name. If N is supplied, it must be equal to 1."
  groq: {
    docs: 'https://console.groq.com/docs/openai',
    unsupported: (model, body) => [
      'logprobs',
      'top_logprobs',
      'logit_bias',
      'messages[].name',
      ...(body.n !== undefined && body.n !== 1 ? ['n'] : []),
      ...(groqTakesReasoningEffort(model) ? [] : ['reasoning_effort']),
    ],
    adapt: adaptGroqReasoning,
  },
  // deepseek-reasoner: "Setting logprobs, top_logprobs will trigger an error" (temperature, top_p and the
  // penalties are accepted and ignored, so they pass). The API names the output limit max_tokens.
  deepseek: {
    docs: 'https://api-docs.deepseek.com/guides/reasoning_model',
    unsupported: (model) => (model === 'deepseek-reasoner' ? ['logprobs', 'top_logprobs'] : []),
    adapt: maxTokensOnly,
  },
  xai: {
    docs: 'https://docs.x.ai/docs/guides/reasoning',
    unsupported: (model) => [
      ...(isXaiReasoningModel(model) ? ['presence_penalty', 'frequency_penalty', 'stop'] : []),
      ...(xaiTakesReasoningEffort(model) ? [] : ['reasoning_effort']),
    ],
    adapt: adaptXaiReasoning,
  },
  together: {
    adapt: maxTokensOnly,
    embeddings: { docs: 'https://docs.together.ai/reference/embeddings-2' },
  },
  fireworks: {
    adapt: maxTokensOnly,
    embeddings: { docs: 'https://docs.fireworks.ai/guides/querying-embeddings-models' },
  },
  // Sonar has no client-side function tools ("The sonar family does not support client-side function
  // tools", langchain-perplexity's ChatPerplexity.bind_tools reference): the translated path refuses them
  // with a 400 by capability, the relay path strips them.
  perplexity: {
    docs: 'https://docs.perplexity.ai/api-reference/chat-completions',
    unsupported: () => ['tools', 'tool_choice'],
    adapt: maxTokensOnly,
    capabilities: { tools: false },
  },
  // "These fields will result in a 400 error: frequency_penalty, logit_bias, presence_penalty,
  // parallel_tool_calls, service_tier" (Cerebras' OpenAI-compatibility notes, as quoted by req_llm's guide).
  cerebras: {
    docs: 'https://inference-docs.cerebras.ai/resources/openai',
    unsupported: () => [
      'frequency_penalty',
      'presence_penalty',
      'logit_bias',
      'parallel_tool_calls',
      'service_tier',
    ],
  },
  zai: { adapt: maxTokensOnly },
  // moonshot-v1 temperature "Ranges from 0 to 1" (ChatMoonshot reference; modelparams.dev: 0…1).
  moonshot: { docs: 'https://platform.kimi.ai/docs/api/overview', maxTemperature: 1 },
  requesty: {},
  // Mistral validates strictly (422 extra_forbidden) and rejected max_completion_tokens
  // (editor-code-assistant/eca#231), metadata (OpenHands/OpenHands-CLI#83) and messages[].name
  // (Gage-Technologies/mistral-go#3); its seed is random_seed (Mistral API reference; vercel/ai's Mistral
  // provider sends the same).
  'mistral-openai': {
    docs: 'https://docs.mistral.ai/api',
    rename: { max_completion_tokens: 'max_tokens', seed: 'random_seed' },
    unsupported: () => ['metadata', 'messages[].name'],
    embeddings: {
      docs: 'https://docs.mistral.ai/api/endpoint/embeddings',
      rename: { dimensions: 'output_dimension' },
      // Mistral's `input` is a string or an array of strings.
      tokens: false,
    },
  },
  'gemini-openai': {
    docs: 'https://ai.google.dev/gemini-api/docs/openai',
    adapt: maxTokensOnly,
    embeddings: { docs: 'https://ai.google.dev/gemini-api/docs/openai#embeddings' },
  },
  lmstudio: {
    docs: 'https://lmstudio.ai/docs/api/openai-api',
    adapt: maxTokensOnly,
    embeddings: { docs: 'https://lmstudio.ai/docs/api/openai-api' },
  },
};

export function isPresetType(type: string): type is PresetType {
  return Object.hasOwn(PRESETS, type);
}

/** The adapter for a provider whose `type` is a preset: the `openai` adapter with the preset's quirks. */
export function createPresetAdapter(
  config: ProviderConfig,
  log?: ProviderLog,
): ProviderAdapter & RelayCapable {
  if (!isPresetType(config.type)) {
    throw new GatewayError('internal', `"${config.type}" is not an OpenAI-compatible preset`);
  }
  const preset = PRESETS[config.type];
  const baseUrl = config.baseUrl || PRESET_BASE_URLS[config.type];
  const url = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const embeddingsUrl = `${baseUrl.replace(/\/+$/, '')}/embeddings`;
  const adapter = createOpenAIChatAdapter(
    config,
    {
      url: () => url,
      ...(preset.embeddings
        ? {
            embeddingsUrl: () => embeddingsUrl,
            ...(preset.embeddings.rename ? { embeddingRename: preset.embeddings.rename } : {}),
            ...(preset.embeddings.tokens === false ? { embeddingTokens: false } : {}),
          }
        : {}),
      authHeaders: (context) => bearerAuth(config, context),
      prepareBody: (body, context, request) => preparePresetBody(preset, config.name, body, context, request),
    },
    log,
  );
  if (!preset.capabilities) return adapter;
  // The adapter's methods are closures over its config, so a copy with other capabilities behaves the same.
  return { ...adapter, capabilities: { ...adapter.capabilities, ...preset.capabilities } };
}
