/** Canonical tool call -> Chat Completions tool_call, with Gemini thought signatures in extra_content. */
import type { ToolCallPart } from '../../core/canonical-request.js';

/**
 * Gemini's OpenAI-compatible carrier for a thought signature: on a tool call for its functionCall's, on the
 * assistant message (or its delta) for a text part's.
 */
export function geminiExtraContent(signature: string): { google: { thought_signature: string } } {
  return { google: { thought_signature: signature } };
}

export function toChatToolCall(call: ToolCallPart, index?: number): Record<string, unknown> {
  const signature = call.providerData?.gemini?.thoughtSignature;
  return {
    ...(index !== undefined ? { index } : {}),
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
    ...(signature ? { extra_content: geminiExtraContent(signature) } : {}),
  };
}
