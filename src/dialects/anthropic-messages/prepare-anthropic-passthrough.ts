/**
 * Making a Messages body safe to relay verbatim to Anthropic (the same-dialect fast path).
 *
 * An Anthropic client's history may hold thinking blocks Junction gave it for another provider's reasoning:
 * a Gemini signature prefixed `gemini:` (../shared/gemini-thought-signature.ts), or reasoning that came
 * without a signature (`signature: ""`: Cohere, Mistral, Ollama, OpenAI-type upstreams). Claude answers such
 * a block with a 400 ("Invalid `signature` in `thinking` block"). The translated path leaves that reasoning
 * out (the Anthropic provider sends only signed or redacted reasoning), so the relayed body leaves those
 * blocks out too; Claude's own signed and redacted blocks stay where they are. An assistant message left
 * with nothing is dropped, as Anthropic refuses empty content. A body without such blocks is returned as
 * it is, not copied.
 */
import { decodeGeminiSignature } from '../shared/gemini-thought-signature.js';

/** The body without foreign thinking blocks; the same object when it has none. */
export function prepareAnthropicPassthrough(body: Record<string, unknown>): Record<string, unknown> {
  const messages = body.messages;
  if (!Array.isArray(messages) || !messages.some(hasForeignThinking)) return body;
  return { ...body, messages: messages.flatMap(withoutForeignThinking) };
}

/** A thinking block whose signature is not Anthropic's: prefixed by Junction for Gemini, or empty. */
export function isForeignThinkingBlock(block: unknown): boolean {
  if (typeof block !== 'object' || block === null) return false;
  const { type, signature } = block as Record<string, unknown>;
  if (type !== 'thinking' || typeof signature !== 'string') return false;
  return signature === '' || decodeGeminiSignature(signature) !== undefined;
}

function assistantBlocks(message: unknown): unknown[] | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { role, content } = message as Record<string, unknown>;
  return role === 'assistant' && Array.isArray(content) ? content : undefined;
}

function hasForeignThinking(message: unknown): boolean {
  return assistantBlocks(message)?.some(isForeignThinkingBlock) === true;
}

function withoutForeignThinking(message: unknown): unknown[] {
  const blocks = assistantBlocks(message);
  if (!blocks?.some(isForeignThinkingBlock)) return [message];
  const kept = blocks.filter((block) => !isForeignThinkingBlock(block));
  return kept.length === 0 ? [] : [{ ...(message as Record<string, unknown>), content: kept }];
}
