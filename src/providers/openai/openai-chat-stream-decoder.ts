/**
 * Chat Completions SSE stream -> canonical events. Covers OpenAI and the compatible servers that extend
 * the chunk format: reasoning in `reasoning_content` (DeepSeek) or `reasoning` (Groq, OpenRouter, Ollama),
 * OpenRouter `reasoning_details` (with signatures), Groq `x_groq.usage`, and error objects sent as data
 * lines inside a 200 stream (OpenRouter, Groq), and Perplexity's top-level `citations` (URLs) and
 * `search_results` ({title, url}), which every chunk repeats: each URL becomes one citation, once.
 *
 * Event order: tool calls are closed as soon as `finish_reason` arrives, but `finish` itself is held until
 * `[DONE]` (or the end of the body) because OpenAI sends the usage chunk after the finish_reason chunk;
 * consumers can rely on `usage` coming before `finish`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError, redactSecrets } from '../../core/errors.js';
import type { SseMessage } from '../shared/sse.js';
import { parseJsonData } from '../shared/sse.js';
import type { EventsThenError } from '../shared/step-decoder.js';
import { stepDecoder } from '../shared/step-decoder.js';
import { upstreamErrorFromText } from '../shared/upstream-error.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import { inBandErrorStatus, parseOpenAIError } from './openai-error.js';

// Every field tolerates a wrong type (becomes undefined) so one odd field never costs the whole chunk.
const str = z.string().nullish().catch(undefined);
const num = z.number().nullish().catch(undefined);

const toolCallDeltaSchema = z.looseObject({
  index: num,
  id: str,
  function: z.looseObject({ name: str, arguments: str }).nullish().catch(undefined),
});

const reasoningDetailSchema = z.looseObject({
  type: str,
  text: str,
  summary: str,
  signature: str,
  data: str,
});

/**
 * Mistral's chat completions send `content` as parts: `{type:'text',text}` and, from reasoning models,
 * `{type:'thinking',thinking:[{type:'text',text}]}`.
 */
const contentPartSchema = z.looseObject({
  type: str,
  text: str,
  thinking: z
    .array(z.looseObject({ type: str, text: str }))
    .nullish()
    .catch(undefined),
});

const deltaSchema = z.looseObject({
  content: z
    .union([z.string(), z.array(contentPartSchema)])
    .nullish()
    .catch(undefined),
  refusal: str,
  reasoning_content: str,
  reasoning: str,
  reasoning_details: z.array(reasoningDetailSchema).nullish().catch(undefined),
  tool_calls: z.array(toolCallDeltaSchema).nullish().catch(undefined),
});

const chunkSchema = z.looseObject({
  id: str,
  model: str,
  created: num,
  choices: z
    .array(z.looseObject({ index: num, delta: deltaSchema.nullish().catch(undefined), finish_reason: str }))
    .nullish()
    .catch(undefined),
  usage: z.unknown().optional(),
  x_groq: z.looseObject({ usage: z.unknown().optional() }).nullish().catch(undefined),
  citations: z.array(z.unknown()).nullish().catch(undefined),
  search_results: z.array(z.unknown()).nullish().catch(undefined),
});

const searchResultSchema = z.looseObject({ url: str, title: str });

type Chunk = z.infer<typeof chunkSchema>;
type Delta = z.infer<typeof deltaSchema>;
type ContentPart = z.infer<typeof contentPartSchema>;
type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

interface ToolCallSlot {
  id?: string;
  name?: string;
  /** Arguments that arrived before the name (the call cannot start without one). */
  pendingArguments: string;
  /** The canonical index, once started. */
  index?: number;
  closed: boolean;
}

export function decodeOpenAIChatStream(
  messages: AsyncIterable<SseMessage>,
  provider = 'openai',
): AsyncIterableIterator<CanonicalEvent> {
  const state = new DecoderState(provider);
  let done = false;
  return stepDecoder(messages, {
    step(message) {
      // Anything after [DONE] is drained, not decoded, so the connection can be reused.
      if (done) return NO_EVENTS;
      if (message.data.trim() === '[DONE]') {
        done = true;
        return state.finish(true);
      }
      return state.decode(message);
    },
    // Without [DONE], a stream that gave a finish_reason still ends well; one that did not, throws.
    end: () => (done ? undefined : state.finish(false)),
  });
}

/**
 * The text of a chunk that is one text delta and nothing else, read without zod: that shape is most of
 * a stream, and the full chunk schema per chunk cost about 5 µs an event. Anything else (a finish reason,
 * usage, tool calls, reasoning, citations, content parts, a second choice) returns undefined and takes the
 * full path, so this only ever skips work, never a field.
 */
function plainTextDelta(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const chunk = json as Record<string, unknown>;
  if (chunk.usage != null || chunk.x_groq != null || chunk.citations != null || chunk.search_results != null)
    return undefined;
  const { choices } = chunk;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice = choices[0] as Record<string, unknown> | null;
  if (typeof choice !== 'object' || choice === null) return undefined;
  if ((choice.index != null && choice.index !== 0) || choice.finish_reason != null) return undefined;
  const delta = choice.delta as Record<string, unknown> | null | undefined;
  if (typeof delta !== 'object' || delta === null) return undefined;
  let text: string | undefined;
  for (const key in delta) {
    const value = delta[key];
    if (key === 'content') {
      if (typeof value !== 'string') return undefined;
      text = value;
    } else if (key !== 'role' && value != null) return undefined;
  }
  return text;
}

/** A message that gives nothing (shared: never written to). */
const NO_EVENTS: readonly CanonicalEvent[] = [];

class DecoderState {
  private started = false;
  private readonly slots = new Map<number, ToolCallSlot>();
  /** Started tool calls in canonical order, for closing them in order. */
  private readonly startedCalls: ToolCallSlot[] = [];
  private finishReason: string | undefined;
  private readonly citedUrls = new Set<string>();

  constructor(private readonly provider: string) {}

  decode(message: SseMessage): readonly CanonicalEvent[] | EventsThenError<CanonicalEvent> {
    if (message.data.trim() === '') return NO_EVENTS;
    const json = parseJsonData(message.data);
    if (json === undefined) {
      throw new GatewayError('transient', `${this.provider}: malformed data in the upstream stream`, {
        provider: this.provider,
        upstreamBody: redactSecrets(message.data.slice(0, 4096)),
      });
    }
    // Some servers send `"error": null` on ordinary chunks; only a present error object counts.
    const isError =
      message.event === 'error' ||
      (typeof json === 'object' && json !== null && (json as { error?: unknown }).error != null);
    if (isError) {
      // The failed attempt's usage (OpenRouter sends it with the error) is emitted first so it is recorded.
      const usage = this.usageOf(chunkSchema.safeParse(json).data);
      const error = this.inBandError(message.data, json);
      if (!usage) throw error;
      return { events: [usage], error };
    }

    if (this.started) {
      const text = plainTextDelta(json);
      if (text !== undefined) return text === '' ? NO_EVENTS : [{ type: 'text-delta', text }];
    }
    const parsed = chunkSchema.safeParse(json);
    if (!parsed.success) return NO_EVENTS;
    const chunk = parsed.data;
    const events: CanonicalEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'response-start',
        ...(chunk.id ? { id: chunk.id } : {}),
        ...(chunk.model ? { model: chunk.model } : {}),
        ...(chunk.created != null ? { created: chunk.created } : {}),
      });
    }
    // Only the first choice is decoded: the gateway never asks for n > 1.
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (choice?.delta) this.decodeDelta(choice.delta, events);
    if (choice?.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.closeToolCalls(events);
    }
    this.decodeCitations(chunk, events);
    const usage = this.usageOf(chunk);
    if (usage) events.push(usage);
    return events;
  }

  /** Closes the response. Without a finish_reason only a [DONE] counts as a complete answer. */
  finish(sawDone: boolean): CanonicalEvent[] {
    if (this.finishReason === undefined && !sawDone) {
      throw new GatewayError('transient', `${this.provider}: stream ended before the response finished`, {
        provider: this.provider,
      });
    }
    const events: CanonicalEvent[] = [];
    this.closeToolCalls(events);
    const raw = this.finishReason;
    let reason = raw === undefined ? 'stop' : mapOpenAIFinishReason(raw);
    // OpenAI answers a forced tool_choice with finish_reason "stop", and some compatible servers always
    // do; the canonical reason says what happened so other dialects render tool calls as tool calls.
    if (reason === 'stop' && this.startedCalls.length > 0) reason = 'tool_calls';
    events.push({ type: 'finish', reason, ...(raw !== undefined ? { raw } : {}) });
    return events;
  }

  private decodeDelta(delta: Delta, events: CanonicalEvent[]): void {
    this.decodeReasoning(delta, events);
    if (typeof delta.content === 'string') {
      if (delta.content) events.push({ type: 'text-delta', text: delta.content });
    } else {
      for (const part of delta.content ?? []) this.decodeContentPart(part, events);
    }
    // A refusal is the model's answer in place of content; the canonical model has no separate channel.
    if (delta.refusal) events.push({ type: 'text-delta', text: delta.refusal });
    for (const [position, call] of (delta.tool_calls ?? []).entries())
      this.decodeToolCall(call, position, events);
  }

  private decodeContentPart(part: ContentPart, events: CanonicalEvent[]): void {
    if (part.type === 'text' && part.text) events.push({ type: 'text-delta', text: part.text });
    if (part.type !== 'thinking') return;
    for (const piece of part.thinking ?? []) {
      if (piece.text) events.push({ type: 'reasoning-delta', text: piece.text });
    }
  }

  /**
   * OpenRouter sends the same reasoning text twice: in `reasoning` and in `reasoning_details`. The details
   * also carry signatures and encrypted blocks, so when they have text they win and `reasoning` is skipped.
   */
  private decodeReasoning(delta: Delta, events: CanonicalEvent[]): void {
    let detailsHadText = false;
    for (const detail of delta.reasoning_details ?? []) {
      if (detail.type === 'reasoning.text' || detail.type === 'reasoning.summary') {
        detailsHadText = true;
        const text = detail.type === 'reasoning.text' ? detail.text : detail.summary;
        if (text) events.push({ type: 'reasoning-delta', text });
        if (detail.signature) events.push({ type: 'reasoning-signature', signature: detail.signature });
      } else if (detail.type === 'reasoning.encrypted' && detail.data) {
        events.push({ type: 'reasoning-redacted', data: detail.data });
      }
    }
    if (detailsHadText) return;
    const text = delta.reasoning_content ?? delta.reasoning;
    if (text) events.push({ type: 'reasoning-delta', text });
  }

  private decodeToolCall(call: ToolCallDelta, position: number, events: CanonicalEvent[]): void {
    // `index` is what OpenAI uses to spread one call over chunks; a few servers omit it and send whole
    // calls, where the position in the array identifies them.
    const key = call.index ?? position;
    let slot = this.slots.get(key);
    // A new id at a known index is a new call (servers that restart indexes per chunk).
    if (slot && call.id && slot.id && call.id !== slot.id) slot = undefined;
    if (!slot) {
      slot = { pendingArguments: '', closed: false };
      this.slots.set(key, slot);
    }
    if (call.id && !slot.id) slot.id = call.id;
    if (call.function?.name && !slot.name) slot.name = call.function.name;
    const args = call.function?.arguments ?? '';
    if (slot.index === undefined) {
      if (!slot.name) {
        slot.pendingArguments += args;
        return;
      }
      slot.index = this.startedCalls.length;
      this.startedCalls.push(slot);
      // An id is required downstream to pair the result; invent one only if the server sent none.
      slot.id ??= `call_${randomUUID().replaceAll('-', '')}`;
      events.push({ type: 'tool-call-start', index: slot.index, id: slot.id, name: slot.name });
      const buffered = slot.pendingArguments + args;
      slot.pendingArguments = '';
      if (buffered) events.push({ type: 'tool-call-delta', index: slot.index, argumentsDelta: buffered });
      return;
    }
    if (args && !slot.closed)
      events.push({ type: 'tool-call-delta', index: slot.index, argumentsDelta: args });
  }

  /** Perplexity's source lists carry no offsets, so each URL is a citation without indexes. */
  private decodeCitations(chunk: Chunk, events: CanonicalEvent[]): void {
    const titles = new Map<string, string | undefined>();
    for (const raw of chunk.search_results ?? []) {
      const result = searchResultSchema.safeParse(raw).data;
      if (result?.url) titles.set(result.url, result.title ?? undefined);
    }
    const urls = (chunk.citations ?? []).filter((url): url is string => typeof url === 'string');
    for (const url of [...urls, ...titles.keys()]) {
      if (this.citedUrls.has(url)) continue;
      this.citedUrls.add(url);
      const title = titles.get(url);
      events.push({ type: 'citation', citation: { url, ...(title ? { title } : {}) } });
    }
  }

  private closeToolCalls(events: CanonicalEvent[]): void {
    for (const slot of this.startedCalls) {
      if (slot.closed) continue;
      slot.closed = true;
      events.push({ type: 'tool-call-end', index: slot.index! });
    }
  }

  private usageOf(chunk: Chunk | undefined): CanonicalEvent | undefined {
    if (!chunk) return undefined;
    // Groq repeats usage under x_groq (older Groq responses only had it there).
    const usage = mapOpenAIUsage(chunk.usage ?? chunk.x_groq?.usage);
    return usage ? { type: 'usage', usage } : undefined;
  }

  /** An error object sent as a data line of a 200 stream. */
  private inBandError(data: string, json: unknown): GatewayError {
    // The envelope may hold a status (OpenRouter `code: 400`, Groq `status_code`); without one the body
    // decides, and failing that it is a transient upstream failure (502 stands in for "no status").
    return upstreamErrorFromText(this.provider, inBandErrorStatus(json) ?? 502, {}, data, parseOpenAIError);
  }
}
