/**
 * Input guardrails: length bounds, banned phrases and deny patterns refuse the request (400 naming the
 * rule); redact patterns rewrite the client's text before it goes anywhere, in the canonical request
 * and the wire body alike (so the fast path forwards the redacted text).
 */
import type { CompiledGuardrails } from '../guardrails/compile-guardrails.js';
import { findViolation, redactText } from '../guardrails/compile-guardrails.js';
import { guardrailError } from '../guardrails/guardrail-error.js';
import { requestTexts, rewriteBodyText, rewriteRequestText } from '../guardrails/request-text.js';
import type { RequestContext, Stage } from '../stage.js';

export type ViolationReporter = (where: 'input' | 'output', rule: string, context: RequestContext) => void;

export function inputGuardrailsStage(rules: () => CompiledGuardrails, report: ViolationReporter): Stage {
  return {
    name: 'input-guardrails',
    begin(context) {
      const compiled = rules();
      if (!compiled.checkInput) return undefined;
      const hasLengthRule = compiled.minInputChars !== undefined || compiled.maxInputChars !== undefined;
      if (!hasLengthRule && compiled.phrases.length + compiled.deny.length + compiled.redact.length === 0) {
        return undefined;
      }
      const texts = requestTexts(context.decoded.canonical);
      const refuse = (rule: string): never => {
        report('input', rule, context);
        throw guardrailError('input', rule);
      };
      if (hasLengthRule) {
        const length = texts.reduce((sum, text) => sum + text.length, 0);
        if (compiled.minInputChars !== undefined && length < compiled.minInputChars)
          refuse('min_input_chars');
        if (compiled.maxInputChars !== undefined && length > compiled.maxInputChars)
          refuse('max_input_chars');
      }
      for (const text of texts) {
        const rule = findViolation(compiled, text);
        if (rule !== undefined) refuse(rule);
      }
      if (compiled.redact.length > 0) {
        const rewrite = (text: string): string => redactText(compiled, text);
        rewriteRequestText(context.decoded.canonical, rewrite);
        rewriteBodyText(context.decoded.body, rewrite);
      }
      return undefined;
    },
  };
}
