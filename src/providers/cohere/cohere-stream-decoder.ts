/**
 * Cohere v2 chat stream -> canonical events. Each SSE message carries its event type both as the `event:`
 * name and as `type` in the JSON; message-end brings the finish reason and usage.
 * https://docs.cohere.com/v2/docs/streaming
 */

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError, redactSecrets } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import type { SseMessage } from '../shared/sse.js';
import { parseJsonData } from '../shared/sse.js';
import { collectStep, stepDecoder } from '../shared/step-decoder.js';
import { mapCohereCitations } from './map-cohere-citations.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';
import { mapCohereUsage } from './map-cohere-usage.js';

// Every field tolerates a wrong type (becomes undefined) so one odd field never costs the whole event.
const str = z.string().nullish().catch(undefined);
const num = z.number().nullish().catch(undefined);

const toolCallSchema = z.looseObject({
  id: str,
  function: z.looseObject({ name: str, arguments: str }).nullish().catch(undefined),
});

const eventSchema = z.looseObject({
  type: str,
  id: str,
  index: num,
  delta: z
    .looseObject({
      message: z
        .looseObject({
          content: z.looseObject({ type: str, text: str, thinking: str }).nullish().catch(undefined),
          tool_plan: str,
          // One call per event; an array is accepted too, for safety.
          tool_calls: z
            .union([toolCallSchema, z.array(toolCallSchema)])
            .nullish()
            .catch(undefined),
          // citation-start: one citation object (mapCohereCitations also takes an array).
          citations: z.unknown().optional(),
        })
        .nullish()
        .catch(undefined),
      finish_reason: str,
      usage: z.unknown().optional(),
    })
    .nullish()
    .catch(undefined),
});

type CohereEvent = z.infer<typeof eventSchema>;
type ToolCall = z.infer<typeof toolCallSchema>;

interface ToolCallSlot {
  index: number;
  sawArguments: boolean;
  closed: boolean;
}

export interface DecodeCohereOptions {
  provider?: string;
  /** Tool call id generator, for a call Cohere sends without one (tests make it deterministic). */
  newToolCallId?: () => string;
}

/** A synchronous step per SSE message behind one plain iterator (`stepDecoder`), not an async generator. */
export function decodeCohereStream(
  messages: AsyncIterable<SseMessage>,
  options: DecodeCohereOptions = {},
): ReadyIterator<CanonicalEvent> {
  const state = new DecoderState(options.provider ?? 'cohere', options.newToolCallId);
  return stepDecoder(messages, {
    // Once finished, the rest is drained unread, so the connection can be reused.
    step: (message) => (state.finished ? NONE : collectStep(state.decode(message))),
    end() {
      if (!state.finished) {
        throw new GatewayError('transient', `${state.provider}: stream ended before the response finished`, {
          provider: state.provider,
        });
      }
      return NONE;
    },
  });
}

const NONE: readonly CanonicalEvent[] = [];

class DecoderState {
  finished = false;
  private started = false;
  /** Cohere's tool call index -> our slot. */
  private readonly slots = new Map<number, ToolCallSlot>();
  private readonly calls: ToolCallSlot[] = [];

  constructor(
    readonly provider: string,
    private readonly newToolCallId: () => string = () => `call_${randomUUID().replaceAll('-', '')}`,
  ) {}

  *decode(message: SseMessage): Generator<CanonicalEvent> {
    if (message.data.trim() === '') return;
    const json = parseJsonData(message.data);
    if (json === undefined) {
      throw new GatewayError('transient', `${this.provider}: malformed data in the upstream stream`, {
        provider: this.provider,
        upstreamBody: redactSecrets(message.data.slice(0, 4096)),
      });
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) return;
    const event = parsed.data;
    const type = event.type ?? message.event;
    if (!this.started) {
      this.started = true;
      yield { type: 'response-start', ...(type === 'message-start' && event.id ? { id: event.id } : {}) };
    }
    switch (type) {
      case 'content-start':
      case 'content-delta':
        yield* this.content(event);
        return;
      case 'tool-plan-delta': {
        // The plan is the model's visible preamble before its calls, as text is for other providers.
        const plan = event.delta?.message?.tool_plan;
        if (plan) yield { type: 'text-delta', text: plan };
        return;
      }
      case 'tool-call-start':
        yield* this.toolCallStart(event);
        return;
      case 'tool-call-delta':
        yield* this.toolCallDelta(event);
        return;
      case 'tool-call-end': {
        const slot = this.slotFor(event.index);
        if (slot) yield* this.close(slot);
        return;
      }
      case 'citation-start':
        for (const citation of mapCohereCitations(event.delta?.message?.citations)) {
          yield { type: 'citation', citation };
        }
        return;
      case 'message-end':
        yield* this.messageEnd(event);
        return;
      default:
        // message-start (handled above), content-end, citation-end, debug, and anything new.
        return;
    }
  }

  private *content(event: CohereEvent): Generator<CanonicalEvent> {
    const content = event.delta?.message?.content;
    if (!content) return;
    if (content.thinking) yield { type: 'reasoning-delta', text: content.thinking };
    if (content.text) yield { type: 'text-delta', text: content.text };
  }

  private *toolCallStart(event: CohereEvent): Generator<CanonicalEvent> {
    for (const call of toolCallsOf(event)) {
      const slot: ToolCallSlot = { index: this.calls.length, sawArguments: false, closed: false };
      this.calls.push(slot);
      this.slots.set(event.index ?? slot.index, slot);
      yield {
        type: 'tool-call-start',
        index: slot.index,
        id: call.id || this.newToolCallId(),
        name: call.function?.name ?? '',
      };
      const args = call.function?.arguments;
      if (args) {
        slot.sawArguments = true;
        yield { type: 'tool-call-delta', index: slot.index, argumentsDelta: args };
      }
    }
  }

  private *toolCallDelta(event: CohereEvent): Generator<CanonicalEvent> {
    const slot = this.slotFor(event.index);
    if (!slot || slot.closed) return;
    for (const call of toolCallsOf(event)) {
      const args = call.function?.arguments;
      if (!args) continue;
      slot.sawArguments = true;
      yield { type: 'tool-call-delta', index: slot.index, argumentsDelta: args };
    }
  }

  /** A call without arguments still needs a JSON object as its arguments. */
  private *close(slot: ToolCallSlot): Generator<CanonicalEvent> {
    if (slot.closed) return;
    slot.closed = true;
    if (!slot.sawArguments) yield { type: 'tool-call-delta', index: slot.index, argumentsDelta: '{}' };
    yield { type: 'tool-call-end', index: slot.index };
  }

  private *messageEnd(event: CohereEvent): Generator<CanonicalEvent> {
    for (const slot of this.calls) yield* this.close(slot);
    const usage = mapCohereUsage(event.delta?.usage);
    if (usage) yield { type: 'usage', usage };
    const raw = event.delta?.finish_reason ?? undefined;
    yield {
      type: 'finish',
      reason: mapCohereFinishReason(raw, this.calls.length > 0),
      ...(raw ? { raw } : {}),
    };
    this.finished = true;
  }

  private slotFor(index: number | null | undefined): ToolCallSlot | undefined {
    return index == null ? this.calls.at(-1) : this.slots.get(index);
  }
}

function toolCallsOf(event: CohereEvent): ToolCall[] {
  const calls = event.delta?.message?.tool_calls;
  if (!calls) return [];
  return Array.isArray(calls) ? calls : [calls];
}
