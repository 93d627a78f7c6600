/**
 * OpenAI Responses SSE stream -> canonical events (for serving other dialects from a Responses upstream,
 * and for tests that replay recorded Responses streams).
 *
 * - response.created -> response-start (id, model, created_at).
 * - output_text / refusal deltas -> text-delta; reasoning summary and reasoning_text deltas ->
 *   reasoning-delta (a second summary part is separated by a blank line: the canonical model has one
 *   text per reasoning block).
 * - a reasoning item's final `encrypted_content` (from output_item.done; the one in .added may be
 *   incomplete) -> reasoning-provider-data {openai: {encryptedContent, itemId}}. The canonical event
 *   `reasoning-redacted` is not used for it: it means Anthropic redacted_thinking to every other provider.
 * - function_call items -> tool-call-start (id = call_id) / -delta / -end, numbered in start order.
 * - response.completed / .incomplete -> usage, then finish (tool_calls when the answer has function
 *   calls; length for max_output_tokens; content_filter). `error` and response.failed are thrown as a
 *   GatewayError, classified as the fast path classes them (responses-error-event.ts). Hosted-tool items
 *   and unknown events are skipped, never fatal.
 */
import { z } from 'zod';
import type { CanonicalEvent, FinishReason } from '../../core/canonical-events.js';
import { GatewayError, redactSecrets } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';
import type { SseMessage } from '../shared/sse.js';
import { parseJsonData } from '../shared/sse.js';
import { errorEventEnvelope, failedResponseEnvelope, responsesFailure } from './responses-error-event.js';

// Every field tolerates a wrong type (becomes undefined) so one odd field never costs the whole event.
const str = z.string().nullish().catch(undefined);
const num = z.number().nullish().catch(undefined);

const itemSchema = z.looseObject({
  id: str,
  type: str,
  call_id: str,
  name: str,
  arguments: str,
  encrypted_content: str,
});

const count = z.number().nullish().catch(undefined);
const usageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  input_tokens_details: z
    .looseObject({ cached_tokens: count, cache_write_tokens: count })
    .nullish()
    .catch(undefined),
  output_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish().catch(undefined),
});

const responseSchema = z.looseObject({
  id: str,
  model: str,
  created_at: num,
  status: str,
  incomplete_details: z.looseObject({ reason: str }).nullish().catch(undefined),
  error: z.looseObject({ code: str, message: str }).nullish().catch(undefined),
  usage: usageSchema.nullish().catch(undefined),
});

const eventSchema = z.looseObject({
  type: str,
  item_id: str,
  summary_index: num,
  delta: str,
  text: str,
  arguments: str,
  item: itemSchema.nullish().catch(undefined),
  response: responseSchema.nullish().catch(undefined),
});

type ResponsesEvent = z.infer<typeof eventSchema>;
type ResponseBody = z.infer<typeof responseSchema>;

/** Responses `usage` -> canonical Usage; undefined when there are no token counts. */
export function mapOpenAIResponsesUsage(value: unknown): Usage | undefined {
  const parsed = usageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  if (u.input_tokens == null && u.output_tokens == null) return undefined;
  const usage: Usage = { inputTokens: u.input_tokens ?? 0, outputTokens: u.output_tokens ?? 0 };
  const cached = u.input_tokens_details?.cached_tokens;
  if (cached != null) usage.cachedInputTokens = cached;
  const cacheWrite = u.input_tokens_details?.cache_write_tokens;
  if (cacheWrite != null && cacheWrite > 0) usage.cacheWriteTokens = cacheWrite;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (reasoning != null) usage.reasoningTokens = reasoning;
  return usage;
}

interface CallSlot {
  index: number;
  arguments: string;
  ended: boolean;
}

export async function* decodeOpenAIResponsesStream(
  messages: AsyncIterable<SseMessage>,
  provider = 'openai',
): AsyncGenerator<CanonicalEvent> {
  const state = new DecoderState(provider);
  for await (const message of messages) {
    if (state.finished) continue;
    yield* state.decode(message);
  }
  if (!state.finished) {
    throw new GatewayError('transient', `${provider}: stream ended before the response finished`, {
      provider,
    });
  }
}

class DecoderState {
  finished = false;
  private started = false;
  private readonly calls = new Map<string, CallSlot>();
  private callCount = 0;
  /** Text already emitted per item (and content index), to fill in what only a .done event carries. */
  private readonly emitted = new Map<string, string>();

  constructor(private readonly provider: string) {}

  *decode(message: SseMessage): Generator<CanonicalEvent> {
    const data = message.data.trim();
    if (data === '' || data === '[DONE]') return;
    const json = parseJsonData(data);
    if (json === undefined) {
      throw new GatewayError('transient', `${this.provider}: malformed data in the upstream stream`, {
        provider: this.provider,
        upstreamBody: redactSecrets(data.slice(0, 4096)),
      });
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) return;
    const event = parsed.data;
    const type = event.type ?? message.event;
    if (type === 'error') throw this.errorEvent(json);
    if (!this.started && event.response) {
      this.started = true;
      yield this.start(event.response);
    }
    switch (type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (event.delta) yield* this.text(event, event.delta);
        return;
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const full = event.text ?? (json as { refusal?: string }).refusal;
        yield* this.remainder(event, full, 'text');
        return;
      }
      case 'response.reasoning_summary_part.added':
        // Parts after the first are joined to it with a blank line.
        if ((event.summary_index ?? 0) > 0 && event.item_id) yield* this.reasoning(event.item_id, '\n\n');
        return;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (event.delta && event.item_id) yield* this.reasoning(event.item_id, event.delta);
        return;
      case 'response.output_item.added':
        if (event.item?.type === 'function_call') yield* this.startCall(event.item);
        return;
      case 'response.function_call_arguments.delta': {
        const slot = event.item_id ? this.calls.get(event.item_id) : undefined;
        if (slot && !slot.ended && event.delta) {
          slot.arguments += event.delta;
          yield { type: 'tool-call-delta', index: slot.index, argumentsDelta: event.delta };
        }
        return;
      }
      case 'response.function_call_arguments.done': {
        const slot = event.item_id ? this.calls.get(event.item_id) : undefined;
        if (slot) yield* this.fillArguments(slot, event.arguments);
        return;
      }
      case 'response.output_item.done':
        if (event.item) yield* this.itemDone(event.item);
        return;
      case 'response.completed':
      case 'response.incomplete':
        yield* this.complete(event.response);
        return;
      case 'response.failed':
        throw this.failed(event.response);
      default:
        return;
    }
  }

  private start(response: ResponseBody): CanonicalEvent {
    return {
      type: 'response-start',
      ...(response.id ? { id: response.id } : {}),
      ...(response.model ? { model: response.model } : {}),
      ...(response.created_at != null ? { created: response.created_at } : {}),
    };
  }

  private *text(event: ResponsesEvent, delta: string): Generator<CanonicalEvent> {
    const key = `${event.item_id ?? ''}:text`;
    this.emitted.set(key, (this.emitted.get(key) ?? '') + delta);
    yield { type: 'text-delta', text: delta };
  }

  /** Servers that send only .done events (or fewer deltas than the final text) still lose nothing. */
  private *remainder(
    event: ResponsesEvent,
    full: string | null | undefined,
    kind: 'text',
  ): Generator<CanonicalEvent> {
    if (!full) return;
    const key = `${event.item_id ?? ''}:${kind}`;
    const sent = this.emitted.get(key) ?? '';
    if (full.length > sent.length && full.startsWith(sent)) yield* this.text(event, full.slice(sent.length));
  }

  private *reasoning(itemId: string, text: string): Generator<CanonicalEvent> {
    const key = `${itemId}:reasoning`;
    this.emitted.set(key, (this.emitted.get(key) ?? '') + text);
    yield { type: 'reasoning-delta', text };
  }

  private *startCall(item: z.infer<typeof itemSchema>): Generator<CanonicalEvent> {
    const key = item.id ?? item.call_id;
    if (!key || this.calls.has(key) || !item.name) return;
    const slot: CallSlot = { index: this.callCount++, arguments: '', ended: false };
    this.calls.set(key, slot);
    yield { type: 'tool-call-start', index: slot.index, id: item.call_id ?? key, name: item.name };
    if (item.arguments) {
      slot.arguments = item.arguments;
      yield { type: 'tool-call-delta', index: slot.index, argumentsDelta: item.arguments };
    }
  }

  private *fillArguments(slot: CallSlot, full: string | null | undefined): Generator<CanonicalEvent> {
    if (slot.ended || !full || full === slot.arguments) return;
    if (full.startsWith(slot.arguments)) {
      const rest = full.slice(slot.arguments.length);
      slot.arguments = full;
      yield { type: 'tool-call-delta', index: slot.index, argumentsDelta: rest };
    }
  }

  private *itemDone(item: z.infer<typeof itemSchema>): Generator<CanonicalEvent> {
    if (item.type === 'function_call') {
      const key = item.id ?? item.call_id;
      if (key && !this.calls.has(key)) yield* this.startCall(item);
      const slot = key ? this.calls.get(key) : undefined;
      if (!slot || slot.ended) return;
      yield* this.fillArguments(slot, item.arguments);
      slot.ended = true;
      yield { type: 'tool-call-end', index: slot.index };
      return;
    }
    if (item.type === 'reasoning' && item.encrypted_content) {
      yield {
        type: 'reasoning-provider-data',
        providerData: {
          openai: { encryptedContent: item.encrypted_content, ...(item.id ? { itemId: item.id } : {}) },
        },
      };
    }
  }

  private *complete(response: ResponseBody | null | undefined): Generator<CanonicalEvent> {
    this.finished = true;
    for (const slot of this.calls.values()) {
      if (slot.ended) continue;
      slot.ended = true;
      yield { type: 'tool-call-end', index: slot.index };
    }
    const usage = mapOpenAIResponsesUsage(response?.usage);
    if (usage) yield { type: 'usage', usage };
    const reason = response?.incomplete_details?.reason;
    let finish: FinishReason = 'stop';
    if (response?.status === 'incomplete')
      finish =
        reason === 'content_filter' ? 'content_filter' : reason === 'max_output_tokens' ? 'length' : 'other';
    else if (this.callCount > 0) finish = 'tool_calls';
    yield { type: 'finish', reason: finish, raw: reason ?? response?.status ?? 'completed' };
  }

  private errorEvent(json: unknown): GatewayError {
    return responsesFailure(this.provider, errorEventEnvelope(json as Record<string, unknown>));
  }

  private failed(response: ResponseBody | null | undefined): GatewayError {
    this.finished = true;
    return responsesFailure(this.provider, failedResponseEnvelope(response));
  }
}
