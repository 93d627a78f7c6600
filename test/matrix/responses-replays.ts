/**
 * OpenAI Responses recordings (../shared/fixtures/openai-responses), replayed on the mock's `/responses`
 * endpoint for the column that relays the Responses API (openai): raw SSE of cassettes byte for byte,
 * vercel chunks framed with their `event:` names as OpenAI sends them, JSON bodies as they are.
 */
import { chunksToSse, loadChunks, loadJson } from '../support/fixtures.js';
import { answerFromResponse, recordedResponse } from '../support/matrix-responses-answer.js';
import { cassetteAnswer, cassetteJson, cassetteText, jsonAnswer } from '../support/upstream-answers.js';
import type { ReplayedScenario, ScenarioReplays } from './column-types.js';
import type { ErrorReplay, Replay } from './replays.js';
import { cassetteError, sseReplay } from './replays.js';

type Json = Record<string, unknown>;
const OR = 'openai-responses';
const SSE = 'text/event-stream';

function fromSse(label: string, sse: string): Replay {
  return sseReplay(label, sse, answerFromResponse(recordedResponse(sse, SSE)));
}

function fromJson(label: string, parsed: Json): Replay {
  return {
    label,
    body: JSON.stringify(parsed),
    contentType: 'application/json',
    expected: answerFromResponse(parsed),
    reshaped: false,
    answer: () => jsonAnswer(parsed),
  };
}

/**
 * The rows of a vercel chunks file, cut at each `response.created`: a multi-step run records one
 * response after the other, each a whole stream as OpenAI sent it.
 */
function responsesOf(file: string): unknown[][] {
  const out: unknown[][] = [];
  for (const row of loadChunks(file)) {
    if ((row as { type?: unknown }).type === 'response.created' || out.length === 0) out.push([]);
    out.at(-1)!.push(row);
  }
  return out;
}

export const responses = {
  /** A vercel chunks file; `response` picks one response of a multi-step run (labelled `#n`). */
  chunks: (file: string, response?: number): Replay => {
    if (response === undefined) return fromSse(file, chunksToSse(loadChunks(file), { withEventNames: true }));
    const rows = responsesOf(file)[response];
    if (!rows) throw new Error(`${file} has no response ${response}`);
    return fromSse(`${file}#${response}`, chunksToSse(rows, { withEventNames: true }));
  },
  sse: (file: string, index = 0): Replay => ({
    ...fromSse(`${file}#${index}`, cassetteText(file, index)),
    answer: () => cassetteAnswer(file, index),
  }),
  json: (file: string): Replay => fromJson(file, loadJson(file) as Json),
  cassetteJson: (file: string, index = 0): Replay => fromJson(`${file}#${index}`, cassetteJson(file, index)),
};

/** What the openai column's Responses relay replays: every scenario, the tool-result answer, the error. */
export interface ResponsesRelay {
  replays: Record<ReplayedScenario, ScenarioReplays>;
  error: ErrorReplay;
  /** The answer to the tool-result / follow-up turn (the fast path asks without streaming). */
  followUp: ScenarioReplays;
}

export function openAIResponsesRelay(): ResponsesRelay {
  const toolLoop = `${OR}/pydantic-ai-openai_responses_model_simple_response_with_tool_call.yaml`;
  const stream = `${OR}/pydantic-ai-openai_responses_stream.yaml`;
  const textStream = responses.sse(stream, 1);
  const toolStream = responses.sse(stream, 0);
  const toolJson = responses.cassetteJson(toolLoop, 0);
  // The first response of a multi-step run: a reasoning item (summary + encrypted_content), then a call.
  const reasoning = responses.chunks(`${OR}/vercel-openai-reasoning-encrypted-content.1.chunks.txt`, 0);
  const webSearch = `${OR}/pydantic-ai-openai_responses_model_web_search_tool_stream.yaml`;
  return {
    replays: {
      text: {
        stream: textStream,
        json: responses.cassetteJson(`${OR}/pydantic-ai-openai_responses_model_simple_response.yaml`),
      },
      stream: { stream: textStream },
      tools: { stream: toolStream, json: toolJson },
      'streamed-tool-arguments': { stream: toolStream },
      'parallel-tool-calls': {
        stream: toolStream,
        json: toolJson,
        standIn: {
          note: 'no OpenAI Responses recording has two function calls in one response; the single-call recordings stand in (the relay forwards the calls as they come; the cell checks one call, not several)',
          shows: false,
        },
      },
      images: {
        stream: textStream,
        json: responses.cassetteJson(`${OR}/pydantic-ai-openai_responses_image_url_input.yaml`),
      },
      'json-schema': {
        stream: textStream,
        json: responses.cassetteJson(`${OR}/pydantic-ai-openai_responses-native_output.yaml`, 1),
      },
      reasoning: { stream: reasoning },
      'cached-usage': {
        stream: {
          ...responses.sse(webSearch, 0),
          note: "the stream recording with cached tokens also ran OpenAI's hosted web search: its web_search_call items are relayed as they are",
        },
        json: responses.cassetteJson(`${OR}/pydantic-ai-openai_responses_prompt_cache_e2e.yaml`, 1),
      },
    },
    error: cassetteError(`${OR}/pydantic-ai-openai_responses_model_http_error.yaml`),
    followUp: { stream: textStream, json: responses.cassetteJson(toolLoop, 1) },
  };
}
