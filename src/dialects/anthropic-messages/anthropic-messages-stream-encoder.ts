/**
 * Canonical events -> Anthropic's SSE sequence, `event: <type>\ndata: <json>\n\n` framed:
 *
 *   message_start, ping, (content_block_start, content_block_delta*, content_block_stop)*,
 *   message_delta {stop_reason, usage}, message_stop
 *
 * - message_start waits for the first content (or the end) so the usage an upstream reports up front
 *   (Anthropic's own message_start) is in it; providers that report usage only at the end give 0s there
 *   and the final numbers in message_delta.usage, which Anthropic's SDKs merge over the start ones.
 * - One block is open at a time and a block closes when a different one starts: text -> text block with
 *   text_delta; reasoning -> thinking block with thinking_delta, closed by its signature_delta; redacted
 *   reasoning -> a whole redacted_thinking block; a tool call -> tool_use block (input {}) with
 *   input_json_delta. Gemini thought signatures ride in thinking-block signatures (see
 *   ../shared/gemini-thought-signature.ts): a thought's closes its thinking block, a function call's gets an empty
 *   thinking block of its own right before the tool_use block, and a text part's one right after the text
 *   block when that closes (Gemini may sign the first piece of a text or a last empty one), or at once
 *   when no text block is open. A late argument delta for a tool whose block already closed
 *   (interleaved parallel calls) is still sent at that block's index rather than dropped.
 * - finish and usage may come in either order (OpenAI sends usage after finish), so message_delta is
 *   written by end().
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { GatewayError } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';
import { mergeUsage } from '../../core/usage.js';
import type { EncodeContext, StreamEncoder } from '../dialect.js';
import { encodeGeminiSignature, geminiSignatureOf } from '../shared/gemini-thought-signature.js';
import { anthropicErrorBody } from './anthropic-messages-error.js';
import { anthropicMessageId } from './anthropic-messages-response.js';
import { anthropicStopSequence, toAnthropicStopReason } from './anthropic-messages-stop-reason.js';
import { toAnthropicUsage } from './anthropic-messages-usage.js';

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; toolIndex: number };

export function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export function createAnthropicMessagesStreamEncoder(context: EncodeContext): StreamEncoder {
  let upstreamId: string | undefined;
  let started = false;
  let usage: Usage | undefined;
  let finish: Extract<CanonicalEvent, { type: 'finish' }> | undefined;
  let nextIndex = 0;
  let open: { index: number; block: OpenBlock } | undefined;
  /** The Gemini signature of the open text block, sent in a thinking block of its own once it closes. */
  let textSignature: string | undefined;
  const toolBlocks = new Map<number, number>();

  const ensureStarted = (): string => {
    if (started) return '';
    started = true;
    const message = {
      id: anthropicMessageId(upstreamId, context.requestId),
      type: 'message',
      role: 'assistant',
      model: context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: toAnthropicUsage(usage),
    };
    return sse('message_start', { message }) + sse('ping', {});
  };

  const close = (): string => {
    if (!open) return '';
    const out = sse('content_block_stop', { index: open.index });
    open = undefined;
    if (textSignature === undefined) return out;
    const signature = textSignature;
    textSignature = undefined;
    return out + signedCarrier('text', signature);
  };

  const startBlock = (block: OpenBlock, contentBlock: Record<string, unknown>): string => {
    const out = ensureStarted() + close();
    open = { index: nextIndex++, block };
    return out + sse('content_block_start', { index: open.index, content_block: contentBlock });
  };

  const delta = (index: number, payload: Record<string, unknown>): string =>
    sse('content_block_delta', { index, delta: payload });

  return {
    event(event: CanonicalEvent): string {
      switch (event.type) {
        case 'response-start':
          upstreamId ??= event.id;
          return '';
        case 'usage':
          usage = mergeUsage(usage, event.usage);
          return '';
        case 'citation':
          // Not rendered: every Anthropic citation type needs a field the canonical model cannot give
          // (web_search_result_location's encrypted_index, the request document indexes of char_location).
          return '';
        case 'finish':
          finish = event;
          return '';
        case 'text-delta': {
          const signature = geminiSignatureOf(event.providerData);
          if (event.text === '') {
            if (signature === undefined) return '';
            // A signature on an empty text part signs the text block before it, or travels alone.
            if (open?.block.kind !== 'text') return signedCarrier('text', signature);
            textSignature = signature;
            return '';
          }
          const out =
            open?.block.kind === 'text' ? '' : startBlock({ kind: 'text' }, { type: 'text', text: '' });
          if (signature !== undefined) textSignature = signature;
          return out + delta(open!.index, { type: 'text_delta', text: event.text });
        }
        case 'reasoning-delta': {
          if (event.text === '') return '';
          const out = open?.block.kind === 'thinking' ? '' : startThinking();
          return out + delta(open!.index, { type: 'thinking_delta', thinking: event.text });
        }
        case 'reasoning-signature': {
          // A signature closes its block; one with no text before it still gets a (empty) thinking block.
          const out = open?.block.kind === 'thinking' ? '' : startThinking();
          return out + delta(open!.index, { type: 'signature_delta', signature: event.signature }) + close();
        }
        case 'reasoning-redacted':
          return startBlock({ kind: 'thinking' }, { type: 'redacted_thinking', data: event.data }) + close();
        case 'reasoning-provider-data': {
          const signature = geminiSignatureOf(event.providerData);
          if (signature === undefined) return '';
          const out = open?.block.kind === 'thinking' ? '' : startThinking();
          return out + signatureDelta(encodeGeminiSignature('thought', signature));
        }
        case 'tool-call-start': {
          const signature = geminiSignatureOf(event.providerData);
          const signed = signature === undefined ? '' : signedCarrier('function_call', signature);
          const out =
            signed +
            startBlock(
              { kind: 'tool', toolIndex: event.index },
              { type: 'tool_use', id: event.id, name: event.name, input: {} },
            );
          toolBlocks.set(event.index, open!.index);
          return out;
        }
        case 'tool-call-delta': {
          const index = toolBlocks.get(event.index);
          if (index === undefined || event.argumentsDelta === '') return '';
          return delta(index, { type: 'input_json_delta', partial_json: event.argumentsDelta });
        }
        case 'tool-call-end':
          return open?.block.kind === 'tool' && open.block.toolIndex === event.index ? close() : '';
      }
    },
    end(): string {
      const stopReason = toAnthropicStopReason(finish?.reason ?? 'stop', finish?.raw);
      return (
        ensureStarted() +
        close() +
        sse('message_delta', {
          delta: {
            stop_reason: stopReason,
            stop_sequence: anthropicStopSequence(stopReason, finish?.stopSequence),
          },
          usage: toAnthropicUsage(usage),
        }) +
        sse('message_stop', {})
      );
    },
    error(error: GatewayError): string {
      return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(error, context.requestId))}\n\n`;
    },
  };

  /** Closes the open thinking block with its signature. */
  function signatureDelta(signature: string): string {
    return delta(open!.index, { type: 'signature_delta', signature }) + close();
  }

  function startThinking(): string {
    return startBlock({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' });
  }

  /** An empty thinking block that only carries a Gemini signature for the block beside it. */
  function signedCarrier(kind: 'function_call' | 'text', signature: string): string {
    return startThinking() + signatureDelta(encodeGeminiSignature(kind, signature));
  }
}
