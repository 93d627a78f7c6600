/** Canonical tool call -> Chat Completions tool_call, with Gemini thought signatures in extra_content. */
import type { ToolCallPart } from '../../core/canonical-request.js';

export function toChatToolCall(call: ToolCallPart, index?: number): Record<string, unknown> {
  const signature = call.providerData?.gemini?.thoughtSignature;
  return {
    ...(index !== undefined ? { index } : {}),
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
    ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
  };
}
