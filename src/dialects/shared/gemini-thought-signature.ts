/**
 * Gemini thought signatures in another provider's signature field. Anthropic clients already carry thinking
 * blocks and their `signature` back on the next turn untouched (Anthropic requires it for tool use), so a
 * Gemini signature travels as a thinking block's signature, prefixed with what it was attached to:
 *
 * - `gemini:function_call:<sig>`: an empty thinking block placed right before the tool_use block whose
 *   Gemini functionCall carried the signature. Gemini 3 rejects the next turn without it.
 * - `gemini:thought:<sig>`: the signature of the thought part the thinking block holds.
 * - `gemini:text:<sig>`: an empty thinking block placed right after the text block whose Gemini text part
 *   carried the signature (Gemini signs the answer text when it made no call; on its own if the signed
 *   text part was empty). Google recommends sending it back for the quality of the model's reasoning.
 *
 * The OpenAI chat surface carries a thought part's signature the same way, as the `signature` of its
 * `reasoning_details` entry (`gemini:thought:`); text and function-call signatures ride there in
 * `extra_content.google.thought_signature`, Gemini's own OpenAI-compatible field.
 *
 * `:` never occurs in an Anthropic signature (base64), so the prefixes cannot collide with one. The dialects
 * decode a prefixed signature into `providerData.gemini`, never into an Anthropic signature, so a Claude
 * upstream on a translated path never sees one (the Anthropic provider drops unsigned reasoning), and the
 * relay to Claude drops such thinking blocks from the body it forwards (prepare-anthropic-passthrough.ts).
 */
import type { ProviderData } from '../../core/canonical-request.js';

const FUNCTION_CALL = 'gemini:function_call:';
const THOUGHT = 'gemini:thought:';
const TEXT = 'gemini:text:';

export type GeminiSignatureKind = 'function_call' | 'thought' | 'text';

const PREFIXES: Record<GeminiSignatureKind, string> = {
  function_call: FUNCTION_CALL,
  thought: THOUGHT,
  text: TEXT,
};

export function encodeGeminiSignature(kind: GeminiSignatureKind, signature: string): string {
  return PREFIXES[kind] + signature;
}

export function decodeGeminiSignature(
  signature: string,
): { kind: GeminiSignatureKind; signature: string } | undefined {
  if (signature.startsWith(FUNCTION_CALL))
    return { kind: 'function_call', signature: signature.slice(FUNCTION_CALL.length) };
  if (signature.startsWith(THOUGHT)) return { kind: 'thought', signature: signature.slice(THOUGHT.length) };
  if (signature.startsWith(TEXT)) return { kind: 'text', signature: signature.slice(TEXT.length) };
  return undefined;
}

export function geminiSignatureOf(providerData: ProviderData | undefined): string | undefined {
  return providerData?.gemini?.thoughtSignature;
}
