/**
 * Anthropic Messages SSE → canonical events. Events are read leniently: unknown event types, unknown
 * block types (server_tool_use, web_search_tool_result, mcp_tool_use, ...) and unknown delta types are
 * skipped, so a new upstream feature never breaks a stream; only client tool_use blocks become tool calls.
 *
 * A text block's `citations` (web search results, document locations) cite the whole block, so they are
 * held until the block stops and then emitted with the block's character span in the response text.
 */
import { z } from 'zod';
import type { CanonicalEvent, Citation } from '../../core/canonical-events.js';
import { GatewayError } from '../../core/errors.js';
import type { SseMessage } from '../shared/sse.js';
import { parseJsonData } from '../shared/sse.js';
import { stepDecoder } from '../shared/step-decoder.js';
import { anthropicFailureClass } from './anthropic-error.js';
import { AnthropicUsageTracker, anthropicUsageSchema } from './anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

const contentBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  data: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  citations: z.array(z.unknown()).nullish().catch(undefined),
});

type ContentBlock = z.infer<typeof contentBlockSchema>;

const messageStartSchema = z.looseObject({
  message: z.looseObject({
    id: z.string().optional(),
    model: z.string().optional(),
    // Normally empty; a turn resumed by programmatic tool calling arrives whole here, with its stop reason.
    content: z.array(z.unknown()).nullish(),
    stop_reason: z.string().nullish(),
    stop_sequence: z.string().nullish(),
    usage: anthropicUsageSchema.nullish(),
  }),
});

const blockStartSchema = z.looseObject({ index: z.number(), content_block: contentBlockSchema });

interface BlockDelta {
  index: number;
  delta: {
    type: string;
    text?: string;
    thinking?: string;
    signature?: string;
    partial_json?: string;
    citation?: unknown;
  };
}

/** The `type` of an event object, if it is one. */
function typeOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const type = (json as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * A content_block_delta read by hand (the per-token event, where a zod parse was a measurable share of the
 * translated path). Lenient like the schemas: a field of the wrong type is treated as absent.
 */
function readBlockDelta(json: unknown): BlockDelta | undefined {
  const { index, delta } = json as { index?: unknown; delta?: unknown };
  if (typeof index !== 'number' || typeof delta !== 'object' || delta === null) return undefined;
  const raw = delta as Record<string, unknown>;
  if (typeof raw.type !== 'string') return undefined;
  const text = (key: string): string | undefined => {
    const value = raw[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    index,
    delta: {
      type: raw.type,
      text: text('text'),
      thinking: text('thinking'),
      signature: text('signature'),
      partial_json: text('partial_json'),
      citation: raw.citation,
    },
  };
}

// web_search_result_location {url, title, cited_text, encrypted_index}; char/page/content_block_location
// {cited_text, document_index, document_title, file_id?}; search_result_location {source, title, cited_text}.
const citationSchema = z.looseObject({
  type: z.string().nullish().catch(undefined),
  url: z.string().nullish().catch(undefined),
  title: z.string().nullish().catch(undefined),
  document_title: z.string().nullish().catch(undefined),
  cited_text: z.string().nullish().catch(undefined),
  source: z.string().nullish().catch(undefined),
  file_id: z.string().nullish().catch(undefined),
  document_index: z.number().nullish().catch(undefined),
});

const messageDeltaSchema = z.looseObject({
  delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }).optional(),
  usage: anthropicUsageSchema.nullish(),
});

const errorEventSchema = z.looseObject({
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});

type OpenBlock =
  | { kind: 'text'; start: number; citations: Citation[] }
  | { kind: 'thinking'; signature?: string }
  | { kind: 'tool'; toolIndex: number; startInput: unknown; argumentsSeen: boolean }
  | { kind: 'ignored' };

export interface AnthropicDecodeOptions {
  /** The configured provider name, attached to errors. */
  provider?: string;
}

export function decodeAnthropicStream(
  messages: AsyncIterable<SseMessage>,
  options: AnthropicDecodeOptions = {},
): AsyncIterableIterator<CanonicalEvent> {
  const blocks = new Map<number, OpenBlock>();
  const usage = new AnthropicUsageTracker();
  let nextToolIndex = 0;
  let stopped = false;
  /** Characters of text emitted so far: the offsets citations are given in. */
  let textLength = 0;

  return stepDecoder(messages, {
    step(message) {
      const out: CanonicalEvent[] = [];
      const json = parseJsonData(message.data);
      // The event type is read without zod: this runs once per streamed token.
      const type = typeOf(json);
      if (type === undefined) {
        // Anthropic sends only JSON objects with a `type`; anything else means the stream is corrupt.
        if (json === undefined) throw streamError(options, 'transient', 'malformed event in upstream stream');
        return out;
      }
      switch (type) {
        case 'message_start': {
          const parsed = messageStartSchema.safeParse(json);
          if (!parsed.success) break;
          const {
            id,
            model,
            content,
            stop_reason: stopReason,
            stop_sequence: stopSequence,
            usage: rawUsage,
          } = parsed.data.message;
          out.push({
            type: 'response-start',
            ...(id !== undefined ? { id } : {}),
            ...(model !== undefined ? { model } : {}),
          });
          if (rawUsage) out.push({ type: 'usage', usage: usage.update(rawUsage) });
          for (const item of content ?? []) {
            const block = contentBlockSchema.safeParse(item);
            if (!block.success) continue;
            if (block.data.type === 'tool_use') {
              out.push(...wholeToolCall(block.data, nextToolIndex++));
            } else {
              const start = textLength;
              if (block.data.type === 'text') textLength += block.data.text?.length ?? 0;
              out.push(...wholeBlock(block.data));
              if (block.data.type === 'text')
                out.push(...citationEvents(block.data.citations, start, textLength));
            }
          }
          if (stopReason) out.push(finishEvent(stopReason, stopSequence));
          break;
        }
        case 'content_block_start': {
          const parsed = blockStartSchema.safeParse(json);
          if (!parsed.success) break;
          const { index, content_block: block } = parsed.data;
          switch (block.type) {
            case 'text':
              blocks.set(index, {
                kind: 'text',
                start: textLength,
                citations: parseCitations(block.citations),
              });
              if (block.text) {
                textLength += block.text.length;
                out.push({ type: 'text-delta', text: block.text });
              }
              break;
            case 'thinking':
              // A signature given up front (not the streamed way) closes the block at its stop.
              blocks.set(index, {
                kind: 'thinking',
                ...(block.signature ? { signature: block.signature } : {}),
              });
              if (block.thinking) out.push({ type: 'reasoning-delta', text: block.thinking });
              break;
            case 'redacted_thinking':
              blocks.set(index, { kind: 'ignored' });
              if (block.data !== undefined) out.push({ type: 'reasoning-redacted', data: block.data });
              break;
            case 'tool_use': {
              const toolIndex = nextToolIndex++;
              blocks.set(index, { kind: 'tool', toolIndex, startInput: block.input, argumentsSeen: false });
              out.push({
                type: 'tool-call-start',
                index: toolIndex,
                id: block.id ?? '',
                name: block.name ?? '',
              });
              break;
            }
            default:
              blocks.set(index, { kind: 'ignored' });
          }
          break;
        }
        case 'content_block_delta': {
          const parsed = readBlockDelta(json);
          if (!parsed) break;
          const block = blocks.get(parsed.index);
          const { delta } = parsed;
          if (block?.kind === 'text' && delta.type === 'text_delta' && delta.text) {
            textLength += delta.text.length;
            out.push({ type: 'text-delta', text: delta.text });
          } else if (block?.kind === 'text' && delta.type === 'citations_delta') {
            block.citations.push(...parseCitations([delta.citation]));
          } else if (block?.kind === 'thinking' && delta.type === 'thinking_delta' && delta.thinking) {
            out.push({ type: 'reasoning-delta', text: delta.thinking });
          } else if (block?.kind === 'thinking' && delta.type === 'signature_delta' && delta.signature) {
            block.signature = undefined;
            out.push({ type: 'reasoning-signature', signature: delta.signature });
          } else if (block?.kind === 'tool' && delta.type === 'input_json_delta' && delta.partial_json) {
            block.argumentsSeen = true;
            out.push({ type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: delta.partial_json });
          }
          break;
        }
        case 'content_block_stop': {
          const index = (json as { index?: unknown }).index;
          if (typeof index !== 'number') break;
          const block = blocks.get(index);
          blocks.delete(index);
          if (block?.kind === 'thinking' && block.signature) {
            out.push({ type: 'reasoning-signature', signature: block.signature });
          } else if (block?.kind === 'text') {
            for (const citation of block.citations) {
              out.push({
                type: 'citation',
                citation: { ...citation, startIndex: block.start, endIndex: textLength },
              });
            }
          } else if (block?.kind === 'tool') {
            // A call without arguments streams no JSON at all; canonical arguments are always a JSON text.
            if (!block.argumentsSeen) {
              out.push({
                type: 'tool-call-delta',
                index: block.toolIndex,
                argumentsDelta: JSON.stringify(block.startInput ?? {}),
              });
            }
            out.push({ type: 'tool-call-end', index: block.toolIndex });
          }
          break;
        }
        case 'message_delta': {
          const parsed = messageDeltaSchema.safeParse(json);
          if (!parsed.success) break;
          if (parsed.data.usage) out.push({ type: 'usage', usage: usage.update(parsed.data.usage) });
          const stopReason = parsed.data.delta?.stop_reason;
          if (stopReason) out.push(finishEvent(stopReason, parsed.data.delta?.stop_sequence));
          break;
        }
        case 'message_stop':
          stopped = true;
          break;
        case 'error': {
          const parsed = errorEventSchema.safeParse(json);
          const error = parsed.success ? parsed.data.error : undefined;
          throw streamError(
            options,
            anthropicFailureClass(error?.type) ?? 'transient',
            error?.message ?? 'upstream stream error',
            error?.type,
          );
        }
        default:
          // ping and anything newer.
          break;
      }
      return out;
    },
    end() {
      if (!stopped) throw streamError(options, 'transient', 'stream ended early');
      return undefined;
    },
  });
}

/** Events for a complete non-tool block given inside message_start. */
function* wholeBlock(block: ContentBlock): Generator<CanonicalEvent> {
  if (block.type === 'text' && block.text) yield { type: 'text-delta', text: block.text };
  if (block.type === 'thinking') {
    if (block.thinking) yield { type: 'reasoning-delta', text: block.thinking };
    if (block.signature) yield { type: 'reasoning-signature', signature: block.signature };
  }
  if (block.type === 'redacted_thinking' && block.data !== undefined)
    yield { type: 'reasoning-redacted', data: block.data };
}

/** Anthropic citations without their span (the caller knows the block's span). */
function parseCitations(raw: unknown[] | null | undefined): Citation[] {
  const out: Citation[] = [];
  for (const item of raw ?? []) {
    const parsed = citationSchema.safeParse(item);
    if (!parsed.success) continue;
    const c = parsed.data;
    const url = c.url ?? (c.source && /^https?:\/\//.test(c.source) ? c.source : undefined);
    const title = c.title ?? c.document_title;
    const sourceId = c.file_id ?? (c.document_index != null ? String(c.document_index) : undefined);
    out.push({
      ...(url ? { url } : {}),
      ...(title ? { title } : {}),
      ...(c.cited_text ? { citedText: c.cited_text } : {}),
      ...(sourceId ? { sourceId } : {}),
    });
  }
  return out;
}

function* citationEvents(
  raw: unknown[] | null | undefined,
  startIndex: number,
  endIndex: number,
): Generator<CanonicalEvent> {
  for (const citation of parseCitations(raw)) {
    yield { type: 'citation', citation: { ...citation, startIndex, endIndex } };
  }
}

function* wholeToolCall(block: ContentBlock, index: number): Generator<CanonicalEvent> {
  yield { type: 'tool-call-start', index, id: block.id ?? '', name: block.name ?? '' };
  yield { type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(block.input ?? {}) };
  yield { type: 'tool-call-end', index };
}

function streamError(
  options: AnthropicDecodeOptions,
  failureClass: GatewayError['failureClass'],
  detail: string,
  code?: string,
): GatewayError {
  const message = options.provider ? `${options.provider}: ${detail}` : detail;
  return new GatewayError(failureClass, message, {
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(code !== undefined ? { code } : {}),
  });
}

/** The finish event for Anthropic's stop_reason, with the stop sequence that matched when there is one. */
function finishEvent(stopReason: string, stopSequence: string | null | undefined): CanonicalEvent {
  return {
    type: 'finish',
    reason: mapAnthropicStopReason(stopReason),
    raw: stopReason,
    ...(stopSequence != null ? { stopSequence } : {}),
  };
}
