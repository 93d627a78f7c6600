/**
 * Providers with a native API of their own besides the first three: Cohere v2 chat, Mistral chat and
 * Ollama's /api/chat. No client dialect speaks these, so every cell is a translated path.
 */
import { expect } from 'vitest';
import {
  STREAMING_TEXT,
  STREAMING_THINKING,
  STREAMING_TOOLS,
} from '../../src/providers/ollama/ollama-documented-examples.js';
import type { RecordedRequest } from '../support/mock-upstream.js';
import { errorAnswer } from '../support/upstream-answers.js';
import { REASONING_BUDGET } from './clients.js';
import type { ProviderColumn, ScenarioReplays, Unsupported } from './column-types.js';
import type { DialectId } from './matrix-types.js';
import { cohere, mistral, ollama } from './native-replays.js';
import { cassetteError } from './replays.js';
import { OC, openAIError } from './shared-replays.js';
import { unsignedReasoningSeen } from './unsigned-reasoning.js';

type Json = Record<string, unknown>;

function bearer(key: string): (request: RecordedRequest) => void {
  return (request) => expect(request.headers.authorization).toBe(`Bearer ${key}`);
}

function unsigned(host: string, back: string): (dialect: DialectId) => Unsupported {
  return (dialect) => ({
    kind: 'degraded',
    lacks: 'signature',
    note: `${host} reasoning has no signature: the client gets the reasoning text with no signature (${unsignedReasoningSeen(dialect)}), and the next turn carries the text back as ${back}`,
  });
}

function cohereColumn(): ProviderColumn {
  const text = { stream: cohere.chunks('cohere/vercel-cohere-text.chunks.txt') };
  const tools = cohere.chunks('cohere/vercel-cohere-tool-call.chunks.txt');
  const textStandIn = (what: string, shows?: false): ScenarioReplays => ({
    ...text,
    standIn: {
      note: `no Cohere recording ${what}; the text recording answers`,
      ...(shows === false ? { shows } : {}),
    },
  });
  return {
    id: 'cohere',
    name: 'co',
    type: 'cohere',
    wire: 'cohere',
    model: 'command-a-03-2025',
    config: (origin) => ({ base_url: origin, api_key: 'co-matrix-key' }),
    path: () => '/v2/chat',
    modelInBody: true,
    replays: {
      text,
      stream: text,
      tools: { stream: tools },
      'streamed-tool-arguments': { stream: tools },
      'parallel-tool-calls': { stream: tools },
      images: textStandIn('has an image question'),
      'json-schema': textStandIn(
        'answers with JSON (the schema the upstream gets is checked; the answer is not JSON)',
        false,
      ),
      reasoning: {
        stream: cohere.chunks('cohere/vercel-cohere-reasoning.chunks.txt'),
        model: 'command-a-reasoning-08-2025',
      },
      'cached-usage': text,
    },
    error: {
      ...cassetteError('cohere/pydantic-ai-TestCohere.test_embed_error.yaml'),
      standIn: 'recorded on /v2/embed, which answers in the same `{message}` envelope as /v2/chat',
    },
    followUp: text,
    unsupported: { reasoning: unsigned('Cohere', '`thinking` content') },
    reasoning: () => ({ type: 'enabled', token_budget: REASONING_BUDGET }),
    checkRequest: bearer('co-matrix-key'),
  };
}

function mistralColumn(): ProviderColumn {
  const text = { stream: mistral.chunks('mistral/vercel-mistral-text.chunks.txt') };
  return {
    id: 'mistral',
    name: 'mis',
    type: 'mistral',
    wire: 'mistral',
    model: 'mistral-small-latest',
    config: (origin) => ({ base_url: `${origin}/v1`, api_key: 'mistral-matrix-key' }),
    path: () => '/v1/chat/completions',
    modelInBody: true,
    replays: {
      text,
      stream: { stream: mistral.sse('mistral/pydantic-ai-mistral_model_thinking_part_iter.yaml') },
      tools: { stream: mistral.chunks('mistral/vercel-mistral-tool-call.chunks.txt') },
      'streamed-tool-arguments': {
        stream: mistral.chunks('mistral/vercel-mistral-incremental-tool-call.chunks.txt'),
      },
      'parallel-tool-calls': {
        stream: mistral.sse(`${OC}/pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml`),
        standIn: {
          note: 'no Mistral recording has parallel calls; the OpenAI Chat Completions recording answers (Mistral streams the same chunks)',
        },
      },
      images: {
        ...text,
        standIn: { note: 'no Mistral recording has an image question; the text recording answers' },
      },
      'json-schema': {
        stream: mistral.jsonAsStream(`${OC}/pydantic-ai-openai_native_output.yaml`, 1),
        standIn: {
          note: 'no Mistral recording answers a JSON schema; the OpenAI Chat Completions one answers (same response shape)',
        },
      },
      reasoning: {
        stream: mistral.chunks('mistral/vercel-mistral-reasoning.chunks.txt'),
        model: 'magistral-medium-latest',
      },
      'cached-usage': {
        stream: mistral.jsonAsStream('mistral/pydantic-ai-mistral_history_uses_prompt_cache.yaml', 1),
      },
    },
    error: {
      ...openAIError(),
      standIn: 'no Mistral error recording; the OpenAI-envelope 429 answers (the status decides the class)',
    },
    followUp: text,
    unsupported: {
      // An empty piece opens the call, the next chunk has the whole arguments (vercel-mistral-*tool-call*);
      // Mistral's streaming API sends each tool call in one chunk.
      'streamed-tool-arguments': () => ({
        kind: 'degraded',
        lacks: 'argument pieces',
        note: 'Mistral streams each call with its arguments in one chunk: the client gets the call with its arguments in one piece',
      }),
      reasoning: unsigned('Mistral', '`thinking` chunks'),
    },
    // Magistral always reasons; a reasoning request sets its reasoning prompt mode (map-mistral-reasoning.ts).
    reasoning: () => 'reasoning',
    checkRequest: bearer('mistral-matrix-key'),
  };
}

/** docs/api.md "Chat request (Structured outputs)": the documented response, as the one line a stream ends with. */
const STRUCTURED_OUTPUT: Json = {
  model: 'llama3.1',
  created_at: '2024-12-06T00:46:58.265747Z',
  message: { role: 'assistant', content: '{"age": 22, "available": false}' },
  done_reason: 'stop',
  done: true,
  total_duration: 2254970291,
  load_duration: 574751416,
  prompt_eval_count: 34,
  prompt_eval_duration: 1502000000,
  eval_count: 12,
  eval_duration: 175000000,
};

/** STREAMING_TOOLS with a second call in the same `tool_calls` array, as Ollama returns parallel calls. */
function parallelTools(): Json[] {
  const [call, done] = STREAMING_TOOLS as unknown as [Json, Json];
  const message = call.message as Json;
  const calls = message.tool_calls as Json[];
  return [
    {
      ...call,
      message: {
        ...message,
        tool_calls: [...calls, { function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
      },
    },
    done,
  ];
}

function ollamaColumn(): ProviderColumn {
  const DOCS = 'ollama docs/api.md';
  const text = { stream: ollama.lines(`${DOCS} "Chat request (Streaming)"`, STREAMING_TEXT) };
  const tools = ollama.lines(`${DOCS} "Chat request (Streaming with tools)"`, STREAMING_TOOLS);
  return {
    id: 'ollama',
    name: 'ollama',
    type: 'ollama',
    wire: 'ollama',
    model: 'llama3.2',
    config: (origin) => ({ base_url: origin }),
    path: () => '/api/chat',
    modelInBody: true,
    replays: {
      text,
      stream: text,
      tools: { stream: tools },
      'streamed-tool-arguments': { stream: tools },
      'parallel-tool-calls': {
        stream: ollama.lines(
          `${DOCS} "Chat request (Streaming with tools)", two calls in its tool_calls`,
          parallelTools(),
        ),
      },
      images: text,
      'json-schema': {
        stream: ollama.lines(`${DOCS} "Chat request (Structured outputs)"`, [STRUCTURED_OUTPUT]),
      },
      reasoning: {
        stream: ollama.lines('ollama docs/capabilities/thinking.mdx (streaming)', STREAMING_THINKING),
        model: 'qwen3',
      },
      'cached-usage': text,
    },
    error: {
      label: `${DOCS} error format, HTTP 404 for a model that is not pulled`,
      answer: () => errorAnswer(404, { error: 'model "llama3.2" not found, try pulling it first' }),
      status: 404,
      standIn:
        'no recording of Ollama\'s native API exists; an error body in its documented `{"error": ...}` form is served with the documented status 404 for a model that is not pulled',
    },
    followUp: text,
    unsupported: {
      'streamed-tool-arguments': () => ({
        kind: 'degraded',
        lacks: 'argument pieces',
        note: 'Ollama sends each call whole (arguments as an object): the client gets the call with its arguments in one piece',
      }),
      images: () => ({
        kind: 'refused',
        status: 400,
        message: 'image URLs are not supported by provider ollama; send the image inline as base64',
        note: 'Ollama does not fetch image URLs: the client gets 400 invalid_request_error "image URLs are not supported by provider ollama; send the image inline as base64" and nothing goes upstream (inline images are sent in `images`)',
      }),
      reasoning: unsigned('Ollama', '`thinking`'),
      'cached-usage': () => ({
        kind: 'degraded',
        lacks: 'cached tokens',
        note: 'Ollama reports no cache counts: usage always shows 0 cached tokens (no error)',
      }),
    },
    // qwen3 takes think: true | false (map-ollama-think.ts).
    reasoning: () => true,
    checkRequest: (request) => expect(request.headers.authorization).toBeUndefined(),
  };
}

export function nativeColumns(): ProviderColumn[] {
  return [cohereColumn(), mistralColumn(), ollamaColumn()];
}
