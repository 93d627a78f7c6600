/**
 * Output guardrails on the answer's text, streaming-aware (StreamTextGuard): a violation ends the
 * answer with a 400-class error naming the rule (mid-stream: the dialect's error event), redactions
 * are applied as text is released, and the disclaimer is appended once at the end of an answer that
 * has text (not again when the text already ends with it, as a cached answer does). Watching events
 * turns the byte-relay fast path off for the request.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { CompiledGuardrails } from '../guardrails/compile-guardrails.js';
import { guardrailError } from '../guardrails/guardrail-error.js';
import { GuardrailViolation, StreamTextGuard } from '../guardrails/stream-text-guard.js';
import type { Stage } from '../stage.js';
import type { ViolationReporter } from './input-guardrails-stage.js';

export function outputGuardrailsStage(rules: () => CompiledGuardrails, report: ViolationReporter): Stage {
  return {
    name: 'output-guardrails',
    begin(context) {
      const compiled = rules();
      if (!compiled.watchesOutput) return undefined;
      context.relayAllowed = false;
      return {
        wrapEvents: (events) =>
          guard(events, compiled, (rule) => {
            report('output', rule, context);
          }),
      };
    },
  };
}

async function* guard(
  events: AsyncIterable<CanonicalEvent>,
  rules: CompiledGuardrails,
  onViolation: (rule: string) => void,
): AsyncGenerator<CanonicalEvent> {
  const checksText = rules.checkOutput && rules.phrases.length + rules.deny.length + rules.redact.length > 0;
  const text = checksText ? new StreamTextGuard(rules) : undefined;
  const disclaimer = rules.disclaimer;
  let sawText = false;
  let tail = '';
  const sent = (piece: string): CanonicalEvent => {
    if (disclaimer !== undefined) tail = (tail + piece).slice(-(disclaimer.length + 2));
    return { type: 'text-delta', text: piece };
  };
  try {
    for await (const event of events) {
      if (event.type === 'text-delta') {
        sawText ||= event.text !== '';
        const piece = text ? text.push(event.text) : event.text;
        if (piece !== '')
          yield { ...sent(piece), ...(event.providerData ? { providerData: event.providerData } : {}) };
        continue;
      }
      if (event.type !== 'response-start' && event.type !== 'usage') {
        const rest = text?.flush() ?? '';
        if (rest !== '') yield sent(rest);
      }
      if (event.type === 'finish' && disclaimer !== undefined && sawText && !tail.endsWith(disclaimer)) {
        yield sent(`\n\n${disclaimer}`);
      }
      yield event;
    }
    const rest = text?.flush() ?? '';
    if (rest !== '') yield sent(rest);
  } catch (error) {
    if (error instanceof GuardrailViolation) {
      onViolation(error.rule);
      throw guardrailError('output', error.rule);
    }
    throw error;
  }
}
