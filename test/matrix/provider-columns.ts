/**
 * One column per upstream provider: how the gateway is configured for it and which recording each
 * scenario replays. `stream` is served whenever the gateway streams from the upstream (a translated path
 * always does); `json` is served on the same-dialect fast path when the client does not stream, because
 * then the client's own non-stream request goes upstream as it is.
 */
import type { DialectId, ProviderId, ScenarioId } from './matrix-types.js';
import type { ErrorReplay, Replay } from './replays.js';
import { anthropic, cassetteError, documentedError, gemini, openai } from './replays.js';

export interface ScenarioReplays {
  stream: Replay;
  json?: Replay;
  /** The upstream model asked for, when the recording needs a particular generation (Gemini 3). */
  model?: string;
}

export type ReplayedScenario = Exclude<ScenarioId, 'upstream-error'>;

export interface ProviderColumn {
  id: Exclude<ProviderId, 'echo'>;
  /** The provider's name in the gateway config (`<name>/<model>`). */
  name: string;
  type: string;
  model: string;
  /** The client dialect this provider speaks natively: the gateway relays that dialect's bytes. */
  fastPath?: DialectId;
  replays: Record<ReplayedScenario, ScenarioReplays>;
  error: ErrorReplay;
  /** A plain text answer for the second turn of the tools and reasoning scenarios. */
  followUp: ScenarioReplays;
}

const OC = 'openai-chat';
const AM = 'anthropic-messages';
const GM = 'gemini';

function openaiColumn(): ProviderColumn {
  const text = {
    stream: openai.chunks(`${OC}/vercel-openai-text.chunks.txt`),
    json: openai.json(`${OC}/vercel-openai-text.json`),
  };
  const toolStream = openai.sse(`${OC}/pydantic-ai-openai-stream_tool_call_deltas.yaml`);
  const parallel = `${OC}/pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml`;
  const image = `${OC}/pydantic-ai-openai-image_url_tool_response.yaml`;
  const schema = `${OC}/pydantic-ai-openai_native_output.yaml`;
  return {
    id: 'openai',
    name: 'oai',
    type: 'openai',
    model: 'gpt-4.1-mini',
    fastPath: 'openai-chat',
    replays: {
      text,
      stream: { stream: openai.sse(`${OC}/pydantic-ai-openai_moderation_stream.yaml`) },
      tools: { stream: toolStream, json: openai.cassetteJson(`${OC}/pydantic-ai-openai_tool_output.yaml`) },
      'streamed-tool-arguments': { stream: toolStream },
      // Recorded as a stream only: the fast path (which relays bytes) runs it streamed only.
      'parallel-tool-calls': { stream: openai.sse(parallel) },
      images: { stream: openai.jsonAsStream(image, 1), json: openai.cassetteJson(image, 1) },
      'json-schema': { stream: openai.jsonAsStream(schema, 1), json: openai.cassetteJson(schema, 1) },
      reasoning: { stream: openai.sse(`${OC}/pydantic-ai-openrouter_streaming_reasoning.yaml`) },
      'cached-usage': {
        stream: openai.chunks(`${OC}/vercel-deepseek-tool-call.chunks.txt`),
        json: openai.cassetteJson(`${OC}/pydantic-ai-openai_chat_prompt_cache_e2e.yaml`, 1),
      },
    },
    error: cassetteError(`${OC}/pydantic-ai-openrouter_errors_raised.yaml`),
    followUp: text,
  };
}

function anthropicColumn(): ProviderColumn {
  const text = {
    stream: anthropic.chunks(`${AM}/vercel-anthropic-text.chunks.txt`),
    json: anthropic.json(`${AM}/vercel-anthropic-text.json`),
  };
  const jsonTool = anthropic.chunks(`${AM}/vercel-anthropic-json-tool.1.chunks.txt`);
  const parallel = `${AM}/pydantic-ai-anthropic-multiple_parallel_tool_calls.yaml`;
  const image = `${AM}/pydantic-ai-anthropic-image_url_input.yaml`;
  return {
    id: 'anthropic',
    name: 'claude',
    type: 'anthropic',
    model: 'claude-sonnet-4-5',
    fastPath: 'anthropic-messages',
    replays: {
      text,
      stream: { stream: anthropic.sse(`${AM}/pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml`) },
      tools: { stream: jsonTool, json: anthropic.json(`${AM}/vercel-anthropic-json-tool.1.json`) },
      'streamed-tool-arguments': { stream: jsonTool },
      'parallel-tool-calls': {
        stream: anthropic.jsonAsStream(parallel),
        json: anthropic.cassetteJson(parallel),
      },
      images: { stream: anthropic.jsonAsStream(image), json: anthropic.cassetteJson(image) },
      'json-schema': {
        stream: anthropic.chunks(`${AM}/vercel-anthropic-json-output-format.1.chunks.txt`),
        json: anthropic.json(`${AM}/vercel-anthropic-json-output-format.1.json`),
      },
      reasoning: { stream: anthropic.sse(`${AM}/pydantic-ai-anthropic_model_thinking_part_stream.yaml`) },
      'cached-usage': {
        stream: anthropic.chunks(`${AM}/vercel-anthropic-code-execution-20260120-prompt-cache.1.chunks.txt`),
        json: anthropic.cassetteJson(`${AM}/pydantic-ai-anthropic_cache_real_api.yaml`, 1),
      },
    },
    error: cassetteError(`${AM}/pydantic-ai-anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml`),
    followUp: text,
  };
}

function geminiColumn(): ProviderColumn {
  const text = { stream: gemini.chunks(`${GM}/vercel-google-text.chunks.txt`) };
  return {
    id: 'gemini',
    name: 'gem',
    type: 'gemini',
    model: 'gemini-2.5-flash',
    replays: {
      text,
      stream: { stream: gemini.sse(`${GM}/pydantic-ai-google_model_stream.yaml`) },
      tools: { stream: gemini.chunks(`${GM}/vercel-google-tool-call.chunks.txt`) },
      'streamed-tool-arguments': {
        stream: gemini.chunks(`${GM}/vercel-google-stream-tool-call-arguments.chunks.txt`),
        model: 'gemini-3.1-pro-preview',
      },
      'parallel-tool-calls': {
        stream: gemini.chunks(`${GM}/vercel-google-stream-no-args-tool-call.chunks.txt`),
        model: 'gemini-3-flash-preview',
      },
      images: { stream: gemini.jsonAsStream(`${GM}/pydantic-ai-google_vertex_url_input-ImageUrl.yaml`) },
      'json-schema': { stream: gemini.jsonAsStream(`${GM}/pydantic-ai-google_native_output.yaml`) },
      reasoning: {
        stream: gemini.chunks(`${GM}/vercel-google-stream-no-args-tool-call.chunks.txt`),
        model: 'gemini-3-flash-preview',
      },
      'cached-usage': {
        stream: gemini.jsonAsStream(`${GM}/pydantic-ai-google_model_cached_content.yaml`, 1),
      },
    },
    error: documentedError(`${GM}/vercel-google-429-retry-info.json`, 429),
    followUp: text,
  };
}

export const COLUMNS: Record<ProviderColumn['id'], ProviderColumn> = {
  openai: openaiColumn(),
  anthropic: anthropicColumn(),
  gemini: geminiColumn(),
};
