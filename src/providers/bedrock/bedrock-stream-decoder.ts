/**
 * Bedrock ConverseStream events → canonical events. Read leniently: unknown event types, unknown delta
 * kinds (citations, ...) and server-side tool blocks (Nova's code interpreter) are skipped, so a new
 * upstream feature never breaks a stream; only client tool calls become tool calls.
 */
import { z } from 'zod';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { GatewayError } from '../../core/errors.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { collectStep, stepDecoder } from '../shared/step-decoder.js';
import type { BedrockStreamEvent } from './bedrock-frame-events.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';
import { bedrockUsageSchema, mapBedrockUsage } from './map-bedrock-usage.js';

const blockStartSchema = z.looseObject({
  contentBlockIndex: z.number(),
  start: z
    .looseObject({
      toolUse: z
        .looseObject({ toolUseId: z.string(), name: z.string(), type: z.string().optional() })
        .optional(),
      toolResult: z.unknown().optional(),
    })
    .optional(),
});

const blockDeltaSchema = z.looseObject({
  contentBlockIndex: z.number(),
  delta: z.looseObject({
    text: z.string().optional(),
    toolUse: z.looseObject({ input: z.string().optional() }).optional(),
    reasoningContent: z
      .looseObject({
        text: z.string().optional(),
        signature: z.string().optional(),
        redactedContent: z.string().optional(),
      })
      .optional(),
  }),
});

const blockStopSchema = z.looseObject({ contentBlockIndex: z.number() });
const messageStopSchema = z.looseObject({ stopReason: z.string().nullish() });
const metadataSchema = z.looseObject({ usage: bedrockUsageSchema.optional() });

type OpenBlock = { kind: 'tool'; toolIndex: number; argumentsSeen: boolean } | { kind: 'ignored' };

export interface BedrockDecodeOptions {
  /** The configured provider name, attached to errors. */
  provider?: string;
  /** Bedrock's stream has no message id; the adapter passes the response's `x-amzn-requestid`. */
  responseId?: string;
}

/** A synchronous step per event behind one plain iterator (`stepDecoder`), not an async generator. */
export function decodeBedrockStream(
  events: AsyncIterable<BedrockStreamEvent>,
  options: BedrockDecodeOptions = {},
): ReadyIterator<CanonicalEvent> {
  const state = new DecoderState(options);
  return stepDecoder(events, {
    step: (event) => collectStep(state.decode(event)),
    end: () => state.end(),
  });
}

class DecoderState {
  private readonly blocks = new Map<number, OpenBlock>();
  private nextToolIndex = 0;
  private started = false;
  private stopped = false;
  // Bedrock sends messageStop before the metadata event that holds usage; the finish is held back so
  // usage precedes it, as with every other provider.
  private pendingFinish: CanonicalEvent | undefined;

  constructor(private readonly options: BedrockDecodeOptions) {}

  *decode(event: BedrockStreamEvent): Generator<CanonicalEvent> {
    if (!this.started) {
      this.started = true;
      yield { type: 'response-start', ...(this.options.responseId ? { id: this.options.responseId } : {}) };
    }
    switch (event.type) {
      case 'contentBlockStart': {
        const parsed = blockStartSchema.safeParse(event.payload);
        if (!parsed.success) break;
        const { contentBlockIndex: index, start } = parsed.data;
        const toolUse = start?.toolUse;
        if (toolUse && (toolUse.type === undefined || toolUse.type === 'tool_use')) {
          const toolIndex = this.nextToolIndex++;
          this.blocks.set(index, { kind: 'tool', toolIndex, argumentsSeen: false });
          yield { type: 'tool-call-start', index: toolIndex, id: toolUse.toolUseId, name: toolUse.name };
        } else if (toolUse || start?.toolResult !== undefined) {
          // A tool Bedrock runs itself, and its result: not the client's to answer.
          this.blocks.set(index, { kind: 'ignored' });
        }
        break;
      }
      case 'contentBlockDelta': {
        const parsed = blockDeltaSchema.safeParse(event.payload);
        if (!parsed.success) break;
        const block = this.blocks.get(parsed.data.contentBlockIndex);
        if (block?.kind === 'ignored') break;
        const { delta } = parsed.data;
        if (delta.text) yield { type: 'text-delta', text: delta.text };
        if (block?.kind === 'tool' && delta.toolUse?.input) {
          block.argumentsSeen = true;
          yield { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: delta.toolUse.input };
        }
        const reasoning = delta.reasoningContent;
        if (reasoning?.text) yield { type: 'reasoning-delta', text: reasoning.text };
        if (reasoning?.signature) yield { type: 'reasoning-signature', signature: reasoning.signature };
        if (reasoning?.redactedContent) yield { type: 'reasoning-redacted', data: reasoning.redactedContent };
        break;
      }
      case 'contentBlockStop': {
        const parsed = blockStopSchema.safeParse(event.payload);
        if (!parsed.success) break;
        const block = this.blocks.get(parsed.data.contentBlockIndex);
        this.blocks.delete(parsed.data.contentBlockIndex);
        if (block?.kind !== 'tool') break;
        // A call without arguments streams an empty input; canonical arguments are always a JSON text.
        if (!block.argumentsSeen)
          yield { type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: '{}' };
        yield { type: 'tool-call-end', index: block.toolIndex };
        break;
      }
      case 'messageStop': {
        this.stopped = true;
        const parsed = messageStopSchema.safeParse(event.payload);
        const raw = parsed.success ? (parsed.data.stopReason ?? undefined) : undefined;
        this.pendingFinish = { type: 'finish', reason: mapBedrockStopReason(raw), ...(raw ? { raw } : {}) };
        break;
      }
      case 'metadata': {
        const parsed = metadataSchema.safeParse(event.payload);
        if (parsed.success && parsed.data.usage)
          yield { type: 'usage', usage: mapBedrockUsage(parsed.data.usage) };
        if (this.pendingFinish) {
          yield this.pendingFinish;
          this.pendingFinish = undefined;
        }
        break;
      }
      default:
        // messageStart carries only the role; anything newer is skipped.
        break;
    }
  }

  /** The held-back finish when no metadata followed it; a stream without messageStop ended early. */
  end(): readonly CanonicalEvent[] {
    if (!this.stopped) {
      const provider = this.options.provider;
      throw new GatewayError('transient', `${provider ? `${provider}: ` : ''}stream ended early`, {
        ...(provider !== undefined ? { provider } : {}),
      });
    }
    return this.pendingFinish ? [this.pendingFinish] : [];
  }
}
