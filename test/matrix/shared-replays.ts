/**
 * The recordings behind the openai, anthropic and gemini columns. Other columns speak the same wires
 * (Azure and the OpenAI-wire presets speak Chat Completions; Vertex speaks Gemini's and Anthropic's), so
 * where a vendor has no recording of its own for a scenario, these answer.
 */
import { REASONING_BUDGET } from './clients.js';
import type { ProviderColumn, ReplayedScenario, ScenarioReplays } from './column-types.js';
import type { ErrorReplay } from './replays.js';
import { anthropic, cassetteError, gemini, openai } from './replays.js';

const AM = 'anthropic-messages';
const GM = 'gemini';

export const OC = 'openai-chat';

export function openAIText(): ScenarioReplays {
  return {
    stream: openai.chunks(`${OC}/vercel-openai-text.chunks.txt`),
    json: openai.json(`${OC}/vercel-openai-text.json`),
  };
}

export function openAIReplays(): Record<ReplayedScenario, ScenarioReplays> {
  const toolStream = openai.sse(`${OC}/pydantic-ai-openai-stream_tool_call_deltas.yaml`);
  const parallel = `${OC}/pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml`;
  const image = `${OC}/pydantic-ai-openai-image_url_tool_response.yaml`;
  const schema = `${OC}/pydantic-ai-openai_native_output.yaml`;
  return {
    text: openAIText(),
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
  };
}

export function openAIError(): ErrorReplay {
  return cassetteError(`${OC}/pydantic-ai-openrouter_errors_raised.yaml`);
}

/** The Messages recordings behind the anthropic column (and Claude on Vertex, which speaks the same). */
export function anthropicReplays(): Pick<ProviderColumn, 'replays' | 'error' | 'followUp'> {
  const text = {
    stream: anthropic.chunks(`${AM}/vercel-anthropic-text.chunks.txt`),
    json: anthropic.json(`${AM}/vercel-anthropic-text.json`),
  };
  const jsonTool = anthropic.chunks(`${AM}/vercel-anthropic-json-tool.1.chunks.txt`);
  const parallel = `${AM}/pydantic-ai-anthropic-multiple_parallel_tool_calls.yaml`;
  const image = `${AM}/pydantic-ai-anthropic-image_url_input.yaml`;
  return {
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

/** The Gemini recordings behind the gemini column (and Gemini on Vertex, which speaks the same). */
export function geminiReplays(): Pick<ProviderColumn, 'replays' | 'followUp'> {
  const text = { stream: gemini.chunks(`${GM}/vercel-google-text.chunks.txt`) };
  return {
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
    followUp: text,
  };
}

/** An explicit Anthropic budget passes through; the OpenAI rung maps to a Gemini 3 thinking level. */
export function geminiReasoning(dialect: string): unknown {
  return dialect === 'anthropic-messages'
    ? { thinkingBudget: REASONING_BUDGET, includeThoughts: true }
    : { thinkingLevel: 'low', includeThoughts: true };
}
