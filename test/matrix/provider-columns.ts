/**
 * One column per upstream provider type (column-types.ts says what a column holds). This file has the
 * three providers the gateway started with; the others live beside it by family and are assembled here.
 */
import { REASONING_BUDGET } from './clients.js';
import { cloudColumns } from './cloud-columns.js';
import type { ProviderColumn } from './column-types.js';
import type { ColumnId } from './matrix-types.js';
import { nativeColumns } from './native-columns.js';
import { presetColumns } from './preset-columns.js';
import { documentedError } from './replays.js';
import { RESPONSES_REASONING } from './responses-client.js';
import { openAIResponsesRelay } from './responses-replays.js';
import {
  anthropicReplays,
  geminiReasoning,
  geminiReplays,
  openAIError,
  openAIReplays,
  openAIText,
} from './shared-replays.js';

export type { ProviderColumn, ReplayedScenario, ScenarioReplays } from './column-types.js';

const GM = 'gemini';

function openaiColumn(): ProviderColumn {
  return {
    id: 'openai',
    name: 'oai',
    type: 'openai',
    wire: 'openai',
    model: 'gpt-4.1-mini',
    fastPath: 'openai-chat',
    // OpenAI serves the Responses API too: Responses clients are relayed to {base}/responses.
    responsesRelay: { ...openAIResponsesRelay(), path: '/v1/responses' },
    config: (origin) => ({ base_url: `${origin}/v1`, api_key: 'sk-matrix-upstream' }),
    path: () => '/v1/chat/completions',
    modelInBody: true,
    replays: openAIReplays(),
    error: openAIError(),
    followUp: openAIText(),
    reasoning: (dialect) => (dialect === 'openai-responses' ? RESPONSES_REASONING : 'low'),
  };
}

function anthropicColumn(): ProviderColumn {
  return {
    id: 'anthropic',
    name: 'claude',
    type: 'anthropic',
    wire: 'anthropic',
    model: 'claude-sonnet-4-5',
    fastPath: 'anthropic-messages',
    config: (origin) => ({ base_url: origin, api_key: 'matrix-upstream' }),
    path: () => '/v1/messages',
    modelInBody: true,
    ...anthropicReplays(),
    reasoning: () => ({ type: 'enabled', budget_tokens: REASONING_BUDGET }),
  };
}

function geminiColumn(): ProviderColumn {
  return {
    id: 'gemini',
    name: 'gem',
    type: 'gemini',
    wire: 'gemini',
    model: 'gemini-2.5-flash',
    config: (origin) => ({ base_url: origin, api_key: 'matrix-upstream' }),
    path: (model) => `/v1beta/models/${model}:streamGenerateContent`,
    modelInBody: false,
    ...geminiReplays(),
    error: documentedError(`${GM}/vercel-google-429-retry-info.json`, 429),
    reasoning: geminiReasoning,
  };
}

export const COLUMNS: Record<ColumnId, ProviderColumn> = Object.fromEntries(
  [
    openaiColumn(),
    anthropicColumn(),
    geminiColumn(),
    ...nativeColumns(),
    ...cloudColumns(),
    ...presetColumns(),
  ].map((column) => [column.id, column]),
) as Record<ColumnId, ProviderColumn>;
