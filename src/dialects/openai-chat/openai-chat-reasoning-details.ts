/**
 * Reasoning parts -> OpenRouter-style `reasoning_details`, the field OpenAI-dialect clients already use
 * to carry Anthropic signatures and encrypted reasoning back on the next turn. A Gemini thought part's
 * signature rides as the entry's signature, prefixed `gemini:thought:` (../shared/gemini-thought-signature.ts)
 * so that it decodes back to Gemini and never passes for an Anthropic signature.
 */
import type { ReasoningPart } from '../../core/canonical-request.js';
import { encodeGeminiSignature, geminiSignatureOf } from '../shared/gemini-thought-signature.js';

export interface ReasoningDetail {
  type: 'reasoning.text' | 'reasoning.encrypted';
  index: number;
  text?: string;
  signature?: string;
  data?: string;
}

export function toReasoningDetail(part: ReasoningPart, index: number): ReasoningDetail {
  if (part.redactedData !== undefined) return { type: 'reasoning.encrypted', index, data: part.redactedData };
  const gemini = geminiSignatureOf(part.providerData);
  const signature = part.signature || (gemini ? encodeGeminiSignature('thought', gemini) : undefined);
  return {
    type: 'reasoning.text',
    index,
    text: part.text,
    ...(signature ? { signature } : {}),
  };
}
