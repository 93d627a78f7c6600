/**
 * The Chat Completions and Messages client dialects (Responses: responses-client.ts), each driven by its
 * official SDK: a neutral request (`Turn`) becomes that dialect's request, and what the SDK hands back
 * becomes a view comparable with the fixture projection (matrix-answer.ts). Stream runs also check the
 * dialect's wire rules (spec-valid chunks and tool-call indexes for Chat Completions; Anthropic's event
 * order for Messages).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { expect } from 'vitest';
import type { ReadStream, ReasoningFields } from '../support/chat-client.js';
import { openaiClient, readChatStream, validMessage } from '../support/chat-client.js';
import type { AnthropicView, AnthropicViewBlock, OpenAIView } from '../support/matrix-answer.js';
import { anthropicStreamProblems } from '../support/matrix-anthropic-events.js';
import type { ResponsesResult } from './responses-client.js';

type Json = Record<string, unknown>;

export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
export const IMAGE_URL =
  'https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg';

export type TurnPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; data: string }
  | { type: 'image-url'; url: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Json;
}

/** One client request, in no dialect in particular. */
export interface Turn {
  model: string;
  system?: string;
  user: TurnPart[];
  tools?: ToolSpec[];
  toolChoice?: 'auto' | 'required';
  jsonSchema?: { name: string; schema: Json };
  /** OpenAI: reasoning_effort low; Anthropic: thinking enabled with budget_tokens 2048 (the same rung). */
  reasoning?: boolean;
  /** Anthropic: a cache_control breakpoint on the system block. */
  cacheSystem?: boolean;
  stream: boolean;
}

export const REASONING_BUDGET = 2048;
export const MAX_TOKENS = 4096;

/** What a client got back, in its own dialect, plus what it sends back on the next turn. */
export interface OpenAIResult {
  dialect: 'openai-chat';
  view: OpenAIView;
  /** The SDK's result: the completion, or the chunks of a stream. */
  raw: ChatCompletion | ChatCompletionChunk[];
  /** The request messages, then the assistant message as the client would send it back. */
  history: ChatCompletionMessageParam[];
  toolCallIds: string[];
}

export interface AnthropicResult {
  dialect: 'anthropic-messages';
  view: AnthropicView;
  raw: Anthropic.Message | { events: Anthropic.MessageStreamEvent[]; final: Anthropic.Message };
  history: Anthropic.MessageParam[];
  toolCallIds: string[];
}

export type ClientResult = OpenAIResult | AnthropicResult | ResponsesResult;

// ---------------------------------------------------------------- OpenAI Chat Completions

export function openAIRequest(turn: Turn): ChatCompletionCreateParams {
  const messages: ChatCompletionMessageParam[] = [];
  if (turn.system) messages.push({ role: 'system', content: turn.system });
  messages.push({
    role: 'user',
    content: turn.user.map((part) => {
      if (part.type === 'text') return { type: 'text' as const, text: part.text };
      const url = part.type === 'image' ? `data:${part.mediaType};base64,${part.data}` : part.url;
      return { type: 'image_url' as const, image_url: { url } };
    }),
  });
  const params: Record<string, unknown> = { model: turn.model, messages };
  if (turn.tools)
    params.tools = turn.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  if (turn.toolChoice) params.tool_choice = turn.toolChoice;
  if (turn.jsonSchema)
    params.response_format = {
      type: 'json_schema',
      json_schema: { name: turn.jsonSchema.name, schema: turn.jsonSchema.schema, strict: true },
    };
  if (turn.reasoning) params.reasoning_effort = 'low';
  if (turn.stream) {
    params.stream = true;
    params.stream_options = { include_usage: true };
  }
  return params as unknown as ChatCompletionCreateParams;
}

/**
 * `relayed`: the answer is the provider's own bytes (same-dialect fast path). They are read as an OpenAI
 * client of that provider would (reasoning from `reasoning_details`, `reasoning_content` or `reasoning`),
 * and not checked against OpenAI's spec: the gateway does not own them.
 */
export async function runOpenAI(
  client: OpenAI,
  params: ChatCompletionCreateParams,
  relayed = false,
): Promise<OpenAIResult> {
  if (params.stream) {
    const stream = await client.chat.completions.create(params);
    const read = relayed ? await readRelayedStream(stream) : await readChatStream(stream);
    // Every call keeps one index from its first chunk on, numbered from 0 in order.
    const indexes = new Set<number>();
    for (const chunk of read.chunks)
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) indexes.add(call.index);
    expect([...indexes].sort((a, b) => a - b)).toEqual(read.toolCalls.map((_, i) => i));
    const usage = read.usage;
    const view: OpenAIView = {
      text: read.text,
      reasoning: read.reasoning,
      signatures: read.signatures,
      toolCalls: read.toolCalls.map((call) =>
        toolCallView(call.id, call.name, call.arguments, call.extra_content),
      ),
      ...(read.textSignature !== undefined ? { textSignature: read.textSignature } : {}),
      finishReason: read.finishReason as OpenAIView['finishReason'],
      usage: usageView(usage),
    };
    const details = reasoningDetailsOf(read.chunks);
    const assistant = {
      role: 'assistant',
      content: read.text === '' ? null : read.text,
      ...(read.toolCalls.length > 0
        ? {
            tool_calls: read.toolCalls.map((call) => ({
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
              ...(call.extra_content !== undefined ? { extra_content: call.extra_content } : {}),
            })),
          }
        : {}),
      ...(details.length > 0 ? { reasoning_details: details } : {}),
      ...(read.textSignature !== undefined
        ? { extra_content: { google: { thought_signature: read.textSignature } } }
        : {}),
    } as ChatCompletionMessageParam;
    return {
      dialect: 'openai-chat',
      view,
      raw: read.chunks,
      history: [...params.messages, assistant],
      toolCallIds: read.toolCalls.map((call) => call.id),
    };
  }
  const completion = await client.chat.completions.create(params);
  const message = (
    relayed ? completion.choices[0]!.message : validMessage(completion)
  ) as ChatCompletion.Choice['message'] & ReasoningFields & { reasoning?: string };
  const calls = (message.tool_calls ?? []).flatMap((call) => ('function' in call ? [call] : []));
  const textSignature = (message as { extra_content?: { google?: { thought_signature?: string } } })
    .extra_content?.google?.thought_signature;
  const view: OpenAIView = {
    text: message.content ?? '',
    reasoning: reasoningText(message),
    signatures: (message.reasoning_details ?? []).flatMap((d) => (d.signature ? [d.signature] : [])),
    toolCalls: calls.map((call) =>
      toolCallView(
        call.id,
        call.function.name,
        call.function.arguments,
        (call as { extra_content?: unknown }).extra_content,
      ),
    ),
    ...(textSignature !== undefined ? { textSignature } : {}),
    finishReason: completion.choices[0]!.finish_reason as OpenAIView['finishReason'],
    usage: usageView(completion.usage),
  };
  return {
    dialect: 'openai-chat',
    view,
    raw: completion,
    history: [...params.messages, message as ChatCompletionMessageParam],
    toolCallIds: calls.map((call) => call.id),
  };
}

function usageView(usage: ChatCompletion['usage'] | null | undefined): OpenAIView['usage'] {
  return {
    prompt_tokens: usage?.prompt_tokens ?? -1,
    completion_tokens: usage?.completion_tokens ?? -1,
    cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

type Reasoning = ReasoningFields & { reasoning?: string | null };

/** reasoning_details text wins (OpenRouter repeats it in `reasoning`), then reasoning_content, then reasoning. */
function reasoningText(holder: Reasoning): string {
  const details = (holder.reasoning_details ?? []).filter((d) => d.type === 'reasoning.text');
  if (details.some((d) => d.text)) return details.map((d) => d.text ?? '').join('');
  return holder.reasoning_content ?? holder.reasoning ?? '';
}

/** readChatStream without the spec check, for bytes the provider produced. */
async function readRelayedStream(stream: AsyncIterable<ChatCompletionChunk>): Promise<ReadStream> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const read = await readChatStream([]);
  const calls = new Map<number, ReadStream['toolCalls'][number]>();
  for (const chunk of chunks) {
    read.chunks.push(chunk);
    read.ids.add(chunk.id);
    if (chunk.usage) read.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta as ChatCompletionChunk.Choice.Delta & Reasoning;
    read.text += delta.content ?? '';
    read.reasoning += reasoningText(delta);
    for (const detail of delta.reasoning_details ?? [])
      if (detail.signature) read.signatures.push(detail.signature);
    for (const call of delta.tool_calls ?? []) {
      const current = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
      if (call.id) current.id = call.id;
      if (call.function?.name) current.name += call.function.name;
      current.arguments += call.function?.arguments ?? '';
      calls.set(call.index, current);
    }
    if (choice.finish_reason) read.finishReason = choice.finish_reason;
  }
  read.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return read;
}

function toolCallView(
  id: string,
  name: string,
  args: string,
  extra: unknown,
): OpenAIView['toolCalls'][number] {
  const signature = (extra as { google?: { thought_signature?: string } } | undefined)?.google
    ?.thought_signature;
  return { id, name, arguments: args, ...(signature ? { thoughtSignature: signature } : {}) };
}

/** reasoning_details as a client reassembles them from stream deltas (by index, text appended). */
function reasoningDetailsOf(
  chunks: ChatCompletionChunk[],
): NonNullable<ReasoningFields['reasoning_details']> {
  const details = new Map<number, NonNullable<ReasoningFields['reasoning_details']>[number]>();
  for (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta as (ChatCompletionChunk.Choice.Delta & ReasoningFields) | undefined;
    for (const detail of delta?.reasoning_details ?? []) {
      const index = detail.index ?? 0;
      const current = details.get(index) ?? { type: detail.type, index };
      if (detail.text) current.text = (current.text ?? '') + detail.text;
      if (detail.signature) current.signature = detail.signature;
      if (detail.data) current.data = detail.data;
      details.set(index, current);
    }
  }
  return [...details.values()];
}

/** The tool results (or a follow-up question) a client sends after an OpenAI answer. */
export function openAINextTurn(
  result: OpenAIResult,
  model: string,
  tools?: ToolSpec[],
): ChatCompletionCreateParams {
  const messages: ChatCompletionMessageParam[] = [...result.history];
  if (result.toolCallIds.length === 0) messages.push({ role: 'user', content: 'Thanks. And then?' });
  for (const [i, id] of result.toolCallIds.entries())
    messages.push({ role: 'tool', tool_call_id: id, content: toolResultText(i) });
  return {
    model,
    messages,
    ...(tools
      ? {
          tools: tools.map((tool) => ({
            type: 'function' as const,
            function: { name: tool.name, description: tool.description, parameters: tool.parameters },
          })),
        }
      : {}),
  };
}

export function toolResultText(index: number): string {
  return `result-${index}`;
}

// ---------------------------------------------------------------- Anthropic Messages

export function anthropicRequest(turn: Turn): Anthropic.MessageCreateParams {
  const params: Record<string, unknown> & Anthropic.MessageCreateParamsNonStreaming = {
    model: turn.model,
    max_tokens: MAX_TOKENS,
    messages: [
      {
        role: 'user',
        content: turn.user.map((part): Anthropic.ContentBlockParam => {
          if (part.type === 'text') return { type: 'text', text: part.text };
          if (part.type === 'image')
            return {
              type: 'image',
              source: { type: 'base64', media_type: part.mediaType as 'image/png', data: part.data },
            };
          return { type: 'image', source: { type: 'url', url: part.url } };
        }),
      },
    ],
  };
  if (turn.system)
    params.system = turn.cacheSystem
      ? [{ type: 'text', text: turn.system, cache_control: { type: 'ephemeral' } }]
      : turn.system;
  if (turn.tools)
    params.tools = turn.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters as Anthropic.Tool.InputSchema,
    }));
  if (turn.toolChoice) params.tool_choice = { type: turn.toolChoice === 'required' ? 'any' : 'auto' };
  if (turn.jsonSchema)
    params.output_config = { format: { type: 'json_schema', schema: turn.jsonSchema.schema } };
  if (turn.reasoning) params.thinking = { type: 'enabled', budget_tokens: REASONING_BUDGET };
  return (turn.stream ? { ...params, stream: true } : params) as Anthropic.MessageCreateParams;
}

export async function runAnthropic(
  client: Anthropic,
  params: Anthropic.MessageCreateParams,
): Promise<AnthropicResult> {
  let final: Anthropic.Message;
  let raw: AnthropicResult['raw'];
  if (params.stream) {
    const { stream: _stream, ...rest } = params;
    const stream = client.messages.stream(rest);
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    final = await stream.finalMessage();
    expect(anthropicStreamProblems(events)).toEqual([]);
    raw = { events, final };
  } else {
    final = await client.messages.create(params as Anthropic.MessageCreateParamsNonStreaming);
    raw = final;
  }
  const toolUses = final.content.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
  return {
    dialect: 'anthropic-messages',
    view: {
      content: final.content.flatMap(viewBlock),
      stop_reason: final.stop_reason ?? '',
      usage: {
        input_tokens: final.usage.input_tokens,
        cache_creation_input_tokens: final.usage.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: final.usage.cache_read_input_tokens ?? 0,
        output_tokens: final.usage.output_tokens,
      },
    },
    raw,
    history: [
      ...params.messages,
      { role: 'assistant', content: final.content as Anthropic.ContentBlockParam[] },
    ],
    toolCallIds: toolUses.map((block) => block.id),
  };
}

function viewBlock(block: Anthropic.ContentBlock): AnthropicViewBlock[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text }];
    case 'thinking':
      return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
    case 'redacted_thinking':
      return [{ type: 'redacted_thinking', data: block.data }];
    case 'tool_use':
      return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }];
    default:
      return [];
  }
}

export function anthropicNextTurn(
  result: AnthropicResult,
  model: string,
  tools?: ToolSpec[],
  extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {},
): Anthropic.MessageCreateParamsNonStreaming {
  const messages = [...result.history];
  messages.push({
    role: 'user',
    content:
      result.toolCallIds.length === 0
        ? 'Thanks. And then?'
        : result.toolCallIds.map((id, i) => ({
            type: 'tool_result' as const,
            tool_use_id: id,
            content: toolResultText(i),
          })),
  });
  return {
    model,
    max_tokens: MAX_TOKENS,
    messages,
    ...(tools
      ? {
          tools: tools.map((tool) => ({
            name: tool.name,
            description: tool.description,
            input_schema: tool.parameters as Anthropic.Tool.InputSchema,
          })),
        }
      : {}),
    ...extra,
  };
}

// ---------------------------------------------------------------- clients and the provider's own reading

/** The headers of the gateway's latest answer to the matrix's clients (for `x-junction-warning`). */
export const lastAnswer: { headers?: Headers } = {};

const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  lastAnswer.headers = response.headers;
  return response;
};

export function openAIFor(baseURL: string, key: string): OpenAI {
  // openaiClient's settings (no SDK retries, 15 s), plus the header recording.
  const base = openaiClient(baseURL, key);
  return base.withOptions({ fetch: recordingFetch });
}

export function anthropicFor(baseURL: string, key: string): Anthropic {
  return new Anthropic({ baseURL, apiKey: key, maxRetries: 0, timeout: 15_000, fetch: recordingFetch });
}

/** A client of the provider itself: its SDK reading the recorded body, for fast-path comparisons. */
export function recordedBodyFetch(body: string, contentType: string): typeof fetch {
  return async () => new Response(body, { status: 200, headers: { 'content-type': contentType } });
}

export function openAIReading(body: string, contentType: string): OpenAI {
  return new OpenAI({ apiKey: 'x', maxRetries: 0, fetch: recordedBodyFetch(body, contentType) });
}

export function anthropicReading(body: string, contentType: string): Anthropic {
  return new Anthropic({ apiKey: 'x', maxRetries: 0, fetch: recordedBodyFetch(body, contentType) });
}
