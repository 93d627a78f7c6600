/**
 * Client-side helpers for the end-to-end tests: the official `openai` and `@anthropic-ai/sdk` SDKs pointed
 * at a gateway, a stream
 * reader that validates every chunk against the OpenAI spec while reassembling the answer, and a raw
 * fetch for what an SDK will not send (malformed JSON, oversized bodies, missing keys).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { expectValidAgainstSpec } from './openapi.js';

export function openaiClient(baseURL: string, apiKey: string): OpenAI {
  // No SDK retries: a test must see the gateway's first answer, and retries would hide 429/5xx timing.
  return new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });
}

/** The Anthropic SDK on the gateway's Messages surface, without SDK retries for the same reason. */
export function anthropicClient(baseURL: string, apiKey: string): Anthropic {
  return new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 15_000 });
}

/** Gateway extensions on the assistant message / delta (OpenRouter-style reasoning carriers). */
export interface ReasoningFields {
  reasoning_content?: string | null;
  reasoning_details?: Array<{
    type: string;
    index?: number;
    text?: string;
    signature?: string;
    data?: string;
  }>;
}

export interface AssembledToolCall {
  id: string;
  name: string;
  arguments: string;
  extra_content?: unknown;
}

export interface ReadStream {
  chunks: ChatCompletionChunk[];
  text: string;
  reasoning: string;
  signatures: string[];
  /** A Gemini text signature from a delta's `extra_content` (the last one, as the SDK's stream helper keeps). */
  textSignature?: string;
  toolCalls: AssembledToolCall[];
  finishReason: string | null;
  usage: ChatCompletionChunk['usage'];
  ids: Set<string>;
}

/**
 * Reads a Chat Completions stream (or chunks already collected), validating each chunk against
 * CreateChatCompletionStreamResponse and reassembling text, reasoning, signatures and tool calls.
 */
export async function readChatStream(
  stream: AsyncIterable<ChatCompletionChunk> | Iterable<ChatCompletionChunk>,
): Promise<ReadStream> {
  const out: ReadStream = {
    chunks: [],
    text: '',
    reasoning: '',
    signatures: [],
    toolCalls: [],
    finishReason: null,
    usage: undefined,
    ids: new Set(),
  };
  const calls = new Map<number, AssembledToolCall>();
  for await (const chunk of stream) {
    expectValidAgainstSpec('CreateChatCompletionStreamResponse', chunk);
    out.chunks.push(chunk);
    out.ids.add(chunk.id);
    if (chunk.usage) out.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta as ChatCompletionChunk.Choice.Delta & ReasoningFields;
    out.text += delta.content ?? '';
    out.reasoning += delta.reasoning_content ?? '';
    for (const detail of delta.reasoning_details ?? [])
      if (detail.signature) out.signatures.push(detail.signature);
    const textSignature = (delta as { extra_content?: { google?: { thought_signature?: string } } })
      .extra_content?.google?.thought_signature;
    if (textSignature !== undefined) out.textSignature = textSignature;
    for (const call of delta.tool_calls ?? []) {
      const current = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
      if (call.id) current.id = call.id;
      if (call.function?.name) current.name += call.function.name;
      current.arguments += call.function?.arguments ?? '';
      const extra = (call as { extra_content?: unknown }).extra_content;
      if (extra !== undefined) current.extra_content = extra;
      calls.set(call.index, current);
    }
    if (choice.finish_reason) out.finishReason = choice.finish_reason;
  }
  out.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return out;
}

/** Validates a non-stream answer against CreateChatCompletionResponse and returns its first message. */
export function validMessage(completion: ChatCompletion): ChatCompletion.Choice['message'] & ReasoningFields {
  expectValidAgainstSpec('CreateChatCompletionResponse', completion);
  const choice = completion.choices[0];
  if (!choice) throw new Error(`completion has no choices: ${JSON.stringify(completion)}`);
  return choice.message as ChatCompletion.Choice['message'] & ReasoningFields;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A plain fetch; `body` is sent as-is when a string, JSON-encoded otherwise. */
export async function rawRequest(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const body =
    init.body === undefined || typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: body as string | undefined,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The OpenAI error envelope of a raw response, failing clearly when the body is not one. */
export function errorEnvelope(response: RawResponse): {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
} {
  const error = (response.json as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) {
    throw new Error(
      `expected an OpenAI error envelope, got ${response.status}: ${response.text.slice(0, 300)}`,
    );
  }
  return error as { message: string; type: string; param: string | null; code: string | null };
}
