/**
 * Making a Responses body safe to relay verbatim to OpenAI (the same-dialect fast path).
 *
 * Reasoning items Junction produced for other providers carry `jx1.` continuation envelopes that OpenAI
 * cannot decrypt (it answers 400), and ids it never issued: they are dropped, except that an envelope
 * wrapping OpenAI's own encrypted reasoning is unwrapped back to it. When Junction, not OpenAI, holds the
 * conversation (a stored `previous_response_id` / `conversation`), the history is inlined as input items.
 */
import { decodeContinuation, isContinuationEnvelope } from './continuation-envelope.js';

/** The body with Junction's reasoning items removed or unwrapped; the same object when there are none. */
export function prepareOpenAIPassthrough(body: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(body.input) || !body.input.some(isJunctionItem)) return body;
  return { ...body, input: stripJunctionItems(body.input) };
}

/**
 * The body with `history` (stored items, references resolved) placed before its input and the
 * Junction-side state fields (previous_response_id, conversation) removed, then prepared as above.
 */
export function inlineHistoryForPassthrough(
  body: Record<string, unknown>,
  history: readonly unknown[],
): Record<string, unknown> {
  const { previous_response_id: _previous, conversation: _conversation, ...rest } = body;
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? []);
  return prepareOpenAIPassthrough({ ...rest, input: [...history, ...(input as unknown[])] });
}

export function stripJunctionItems(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    if (!isJunctionItem(item)) {
      out.push(item);
      continue;
    }
    const record = item as Record<string, unknown>;
    const inner = decodeContinuation(record.encrypted_content as string)?.encryptedContent;
    if (inner !== undefined) out.push({ ...record, encrypted_content: inner });
  }
  return out;
}

function isJunctionItem(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  const record = item as Record<string, unknown>;
  return record.type === 'reasoning' && isContinuationEnvelope(record.encrypted_content);
}
