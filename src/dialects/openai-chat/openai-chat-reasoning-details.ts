/**
 * Reasoning parts -> OpenRouter-style `reasoning_details`, the field OpenAI-dialect clients already use
 * to carry Anthropic signatures and encrypted reasoning back on the next turn.
 */
import type { ReasoningPart } from '../../core/canonical-request.js';

export interface ReasoningDetail {
  type: 'reasoning.text' | 'reasoning.encrypted';
  index: number;
  text?: string;
  signature?: string;
  data?: string;
}

export function toReasoningDetail(part: ReasoningPart, index: number): ReasoningDetail {
  if (part.redactedData !== undefined) return { type: 'reasoning.encrypted', index, data: part.redactedData };
  return {
    type: 'reasoning.text',
    index,
    text: part.text,
    ...(part.signature ? { signature: part.signature } : {}),
  };
}
