/**
 * The OpenAI-wire presets (`type = "<preset>"`, src/providers/openai-compatible): the `openai` adapter
 * with a default base URL and each host's quirks, pointed at the mock with `base_url`. They relay for
 * OpenAI clients (the same-dialect fast path) and translate for the others. A vendor's own recordings
 * answer where they exist; the `openai` column's recordings answer the rest (the wire is the same).
 */
import { expect } from 'vitest';
import type { RecordedRequest } from '../support/mock-upstream.js';
import { REASONING_BUDGET } from './clients.js';
import type { ProviderColumn, ReplayedScenario, ScenarioReplays, Unsupported } from './column-types.js';
import type { ColumnId, DialectId } from './matrix-types.js';
import type { ErrorReplay } from './replays.js';
import { cassetteError, openai } from './replays.js';
import { OC, openAIError, openAIReplays, openAIText } from './shared-replays.js';
import { unsignedReasoningSeen } from './unsigned-reasoning.js';
import { jsonWithReasoningAsStream, xaiChunks, xaiJson } from './vendor-replays.js';

interface PresetSpec {
  id: ColumnId;
  name: string;
  model: string;
  keyless?: true;
  replays?: Partial<Record<ReplayedScenario, ScenarioReplays>>;
  text?: ScenarioReplays;
  error?: ErrorReplay;
  unsupported?: ProviderColumn['unsupported'];
  reasoning?: (dialect: DialectId) => unknown;
  sendsReasoningBack?: true;
}

/** Chat Completions reasoning carries no signature: what a client of an unsigned-reasoning host gets. */
function unsignedReasoning(host: string, field: string): (dialect: DialectId) => Unsupported {
  return (dialect) => ({
    kind: 'degraded',
    lacks: 'signature',
    note: `${host} reasoning has no signature: the client gets the reasoning text (from \`${field}\`) with no signature (${unsignedReasoningSeen(dialect)}), and the next turn carries none back`,
  });
}

function presetColumn(spec: PresetSpec): ProviderColumn {
  const key = `sk-matrix-${spec.id}`;
  return {
    id: spec.id,
    name: spec.name,
    type: spec.id,
    wire: 'openai',
    model: spec.model,
    fastPath: 'openai-chat',
    sharesRecordingsWith: 'openai',
    config: (origin) => ({ base_url: `${origin}/v1`, ...(spec.keyless ? {} : { api_key: key }) }),
    path: () => '/v1/chat/completions',
    modelInBody: true,
    replays: { ...openAIReplays(), ...spec.replays },
    error: spec.error ?? openAIError(),
    followUp: spec.text ?? openAIText(),
    ...(spec.unsupported ? { unsupported: spec.unsupported } : {}),
    ...(spec.sendsReasoningBack ? { sendsReasoningBack: true } : {}),
    reasoning: spec.reasoning ?? (() => 'low'),
    checkRequest: (request: RecordedRequest) => {
      expect(request.headers.authorization).toBe(spec.keyless ? undefined : `Bearer ${key}`);
    },
  };
}

/** Perplexity's Sonar has no client-side function tools (presets.ts cites the source). */
function perplexityTools(text: ScenarioReplays): (dialect: DialectId) => Unsupported {
  return (dialect) =>
    dialect === 'openai-chat'
      ? {
          kind: 'stripped',
          warning: 'stripped unsupported parameter(s) for pplx: tools, tool_choice',
          note: 'Sonar has no function tools: the relayed request goes without `tools` and `tool_choice`, the response carries `x-junction-warning: stripped unsupported parameter(s) for pplx: tools, tool_choice`, and the client gets the text answer',
          replays: text,
        }
      : {
          kind: 'refused',
          status: 400,
          message: 'Tool calling is not supported by provider pplx (perplexity)',
          note: 'Sonar has no function tools: the client gets 400 invalid_request_error "Tool calling is not supported by provider pplx (perplexity)" and nothing goes upstream',
        };
}

export function presetColumns(): ProviderColumn[] {
  const groqText: ScenarioReplays = {
    stream: openai.chunks(`${OC}/vercel-groq-text.chunks.txt`),
    json: openai.json(`${OC}/vercel-groq-text.json`),
  };
  const deepseekText: ScenarioReplays = {
    stream: openai.chunks(`${OC}/vercel-deepseek-text.chunks.txt`),
    json: openai.json(`${OC}/vercel-deepseek-text.json`),
  };
  const deepseekTool = openai.chunks(`${OC}/vercel-deepseek-tool-call.chunks.txt`);
  const xaiText: ScenarioReplays = {
    stream: xaiChunks(`${OC}/vercel-xai-text.chunks.txt`),
    json: xaiJson(`${OC}/vercel-xai-text.json`),
  };
  const perplexityText: ScenarioReplays = {
    stream: openai.chunks(`${OC}/vercel-perplexity-text.chunks.txt`),
    json: openai.json(`${OC}/vercel-perplexity-text.json`),
  };
  const groqSchema = `${OC}/pydantic-ai-groq_native_output.yaml`;
  const groqImage = `${OC}/pydantic-ai-groq-image_url_input.yaml`;
  const noTools = perplexityTools(perplexityText);
  return [
    presetColumn({
      id: 'openrouter',
      name: 'or',
      model: 'anthropic/claude-sonnet-4.5',
      sendsReasoningBack: true,
      // The relay forwards reasoning_effort; translated, OpenRouter's unified `reasoning` object takes the
      // Anthropic budget as it is, and a Responses effort as an effort.
      reasoning: (dialect) =>
        dialect === 'openai-chat'
          ? 'low'
          : dialect === 'openai-responses'
            ? { effort: 'low' }
            : { max_tokens: REASONING_BUDGET },
    }),
    presetColumn({
      id: 'groq',
      name: 'groq',
      model: 'llama-3.3-70b-versatile',
      text: groqText,
      replays: {
        text: groqText,
        stream: { stream: groqText.stream },
        tools: {
          stream: openai.chunks(`${OC}/vercel-groq-tool-call.chunks.txt`),
          json: openai.json(`${OC}/vercel-groq-tool-call.json`),
        },
        images: { stream: openai.jsonAsStream(groqImage), json: openai.cassetteJson(groqImage) },
        'json-schema': {
          stream: jsonWithReasoningAsStream(groqSchema),
          json: openai.cassetteJson(groqSchema),
        },
        reasoning: {
          stream: openai.chunks(`${OC}/vercel-groq-reasoning.chunks.txt`),
          model: 'qwen/qwen3-32b',
        },
      },
      error: cassetteError(`${OC}/pydantic-ai-groq-tool_use_failed_error.yaml`),
      unsupported: { reasoning: unsignedReasoning('Groq', 'reasoning') },
      // Qwen 3 on Groq takes none | default (groq-reasoning.ts); the relay forwards the client's value.
      reasoning: (dialect) => (dialect === 'openai-chat' ? 'low' : 'default'),
    }),
    presetColumn({
      id: 'deepseek',
      name: 'ds',
      model: 'deepseek-chat',
      text: deepseekText,
      replays: {
        text: deepseekText,
        stream: { stream: deepseekText.stream },
        tools: { stream: deepseekTool, json: openai.json(`${OC}/vercel-deepseek-tool-call.json`) },
        'streamed-tool-arguments': { stream: deepseekTool },
        'json-schema': {
          stream: openai.jsonAsStream(`${OC}/pydantic-ai-openai_native_output.yaml`, 1),
          json: openai.cassetteJson(`${OC}/pydantic-ai-openai_native_output.yaml`, 1),
        },
        reasoning: {
          stream: openai.chunks(`${OC}/vercel-deepseek-reasoning.chunks.txt`),
          model: 'deepseek-reasoner',
        },
        'cached-usage': { stream: deepseekTool, json: openai.json(`${OC}/vercel-deepseek-tool-call.json`) },
      },
      unsupported: { reasoning: unsignedReasoning('DeepSeek', 'reasoning_content') },
    }),
    presetColumn({
      id: 'xai',
      name: 'xai',
      model: 'grok-3-mini',
      text: xaiText,
      replays: {
        text: xaiText,
        stream: { stream: xaiChunks(`${OC}/vercel-openai-compatible-xai-text.chunks.txt`) },
        tools: {
          stream: xaiChunks(`${OC}/vercel-xai-tool-call.chunks.txt`),
          json: xaiJson(`${OC}/vercel-xai-tool-call.json`),
        },
        reasoning: { stream: xaiText.stream },
        'cached-usage': xaiText,
      },
      unsupported: { reasoning: unsignedReasoning('xAI', 'reasoning_content') },
    }),
    presetColumn({ id: 'together', name: 'together', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' }),
    presetColumn({ id: 'fireworks', name: 'fw', model: 'accounts/fireworks/models/llama-v3p3-70b-instruct' }),
    presetColumn({
      id: 'perplexity',
      name: 'pplx',
      model: 'sonar',
      text: perplexityText,
      replays: {
        text: perplexityText,
        stream: { stream: openai.chunks(`${OC}/vercel-perplexity-citations.chunks.txt`) },
      },
      unsupported: { tools: noTools, 'streamed-tool-arguments': noTools, 'parallel-tool-calls': noTools },
    }),
    presetColumn({ id: 'cerebras', name: 'cerebras', model: 'llama-3.3-70b' }),
    presetColumn({ id: 'zai', name: 'zai', model: 'glm-4.6' }),
    presetColumn({ id: 'moonshot', name: 'moonshot', model: 'kimi-k2-0905-preview' }),
    presetColumn({ id: 'requesty', name: 'requesty', model: 'openai/gpt-4.1-mini' }),
    presetColumn({ id: 'mistral-openai', name: 'mistral-oai', model: 'mistral-large-latest' }),
    presetColumn({ id: 'gemini-openai', name: 'gem-oai', model: 'gemini-2.5-flash' }),
    presetColumn({ id: 'lmstudio', name: 'lmstudio', model: 'qwen3-8b', keyless: true }),
  ];
}
