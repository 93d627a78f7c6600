/**
 * Collected canonical response -> an Anthropic `message` object. `response.citations` are not rendered:
 * every Anthropic citation type needs a field the canonical model cannot give (web_search_result_location's
 * encrypted_index, char_location's request document index), and an invented one would not round-trip.
 */
import type { AssistantPart } from '../../core/canonical-request.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import type { EncodeContext } from '../dialect.js';
import { encodeGeminiSignature, geminiSignatureOf } from '../shared/gemini-thought-signature.js';
import { anthropicStopSequence, toAnthropicStopReason } from './anthropic-messages-stop-reason.js';
import { toToolInput } from './anthropic-messages-tool-input.js';
import { toAnthropicUsage } from './anthropic-messages-usage.js';

export function encodeAnthropicMessage(
  response: CanonicalResponse,
  context: EncodeContext,
): Record<string, unknown> {
  const stopReason = toAnthropicStopReason(response.finishReason, response.rawFinishReason);
  return {
    id: anthropicMessageId(response.id, context.requestId),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content: response.content.flatMap(toContentBlocks),
    stop_reason: stopReason,
    stop_sequence: anthropicStopSequence(stopReason, response.stopSequence),
    usage: toAnthropicUsage(response.usage),
  };
}

/** Gemini thought signatures ride in thinking-block signatures (see ../shared/gemini-thought-signature.ts). */
function toContentBlocks(part: AssistantPart): Array<Record<string, unknown>> {
  switch (part.type) {
    case 'text': {
      const gemini = geminiSignatureOf(part.providerData);
      if (gemini === undefined) return [{ type: 'text', text: part.text }];
      const carrier = { type: 'thinking', thinking: '', signature: encodeGeminiSignature('text', gemini) };
      // A signature Gemini sent on an empty text part travels alone: Anthropic refuses empty text blocks.
      return part.text === '' ? [carrier] : [{ type: 'text', text: part.text }, carrier];
    }
    case 'reasoning': {
      if (part.redactedData !== undefined) return [{ type: 'redacted_thinking', data: part.redactedData }];
      const gemini = geminiSignatureOf(part.providerData);
      // Reasoning from providers without signatures gets an empty one: the field is required on the wire.
      const signature =
        part.signature ?? (gemini === undefined ? '' : encodeGeminiSignature('thought', gemini));
      return [{ type: 'thinking', thinking: part.text, signature }];
    }
    case 'tool-call': {
      const toolUse = { type: 'tool_use', id: part.id, name: part.name, input: toToolInput(part.arguments) };
      const gemini = geminiSignatureOf(part.providerData);
      if (gemini === undefined) return [toolUse];
      const signature = encodeGeminiSignature('function_call', gemini);
      return [{ type: 'thinking', thinking: '', signature }, toolUse];
    }
  }
}

/** Keeps an upstream Anthropic id; anything else gets the familiar `msg_` prefix. */
export function anthropicMessageId(upstreamId: string | undefined, requestId: string): string {
  if (upstreamId?.startsWith('msg_')) return upstreamId;
  return `msg_${upstreamId ?? requestId}`;
}
