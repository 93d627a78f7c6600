/**
 * resume_streams: when a stream breaks after text has reached the client, the next target is asked to
 * continue the same answer. The partial text is sent back as the assistant's turn so far: providers with
 * assistant prefill (Anthropic, Gemini) continue it natively; others get an explicit instruction to
 * continue without repeating. The client sees one answer with the new tokens spliced after the old.
 *
 * Limits (docs/routing.md): only text can be continued, so a stream that broke inside a tool call is
 * ended with an error instead; reasoning is not carried over (the next target may reason again); the
 * seam is as good as the next model's continuation, not byte-identical to what the first would have said.
 */
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { CanonicalMessage, CanonicalRequest, ProviderRequest } from '../core/canonical-request.js';

export interface PartialAnswer {
  text: string;
  /** Set once a tool call started: a half-made tool call cannot be continued by another model. */
  blocked: boolean;
}

export const CONTINUE_INSTRUCTION =
  'Your previous reply was cut off. Continue it exactly where it stopped, without repeating anything already written and without any preamble.';

export function trackPartial(answer: PartialAnswer, event: CanonicalEvent): void {
  if (event.type === 'text-delta') answer.text += event.text;
  else if (event.type === 'tool-call-start') answer.blocked = true;
}

export function buildContinuation(
  request: CanonicalRequest,
  partial: PartialAnswer,
  upstreamModel: string,
  prefill = true,
): ProviderRequest {
  if (partial.text === '') return { ...request, upstreamModel };
  const messages: CanonicalMessage[] = [
    ...request.messages,
    { role: 'assistant', content: [{ type: 'text', text: partial.text }] },
  ];
  if (!prefill) messages.push({ role: 'user', content: [{ type: 'text', text: CONTINUE_INSTRUCTION }] });
  return { ...request, messages, upstreamModel };
}
