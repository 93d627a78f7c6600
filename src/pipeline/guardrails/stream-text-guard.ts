/**
 * Output guardrails over streamed text. Text is held back by `holdBack` characters before it is
 * released, and every check runs over everything not yet released, so a banned phrase or pattern split
 * across chunks is caught before any of it reaches the client (the window must be at least as long as
 * the longest phrase, which compileGuardrails ensures). Redaction never cuts through a match: the
 * release point moves back to the start of a match that straddles it.
 */
import type { CompiledGuardrails } from './compile-guardrails.js';
import { applyRedactions, findViolation, redactionSpans } from './compile-guardrails.js';

export class GuardrailViolation extends Error {
  constructor(readonly rule: string) {
    super(`guardrail ${rule}`);
  }
}

export class StreamTextGuard {
  private pending = '';

  constructor(private readonly rules: CompiledGuardrails) {}

  /** Adds streamed text; returns what may be sent now. Throws GuardrailViolation. */
  push(text: string): string {
    this.pending += text;
    this.check();
    let cut = this.pending.length - this.rules.holdBack;
    if (cut <= 0) return '';
    const spans = redactionSpans(this.rules, this.pending);
    for (const span of spans) if (span.start < cut && span.end > cut) cut = span.start;
    return this.release(cut, spans);
  }

  /** The rest, at the end of a text run. */
  flush(): string {
    this.check();
    return this.release(this.pending.length, redactionSpans(this.rules, this.pending));
  }

  private check(): void {
    if (!this.rules.checkOutput) return;
    const rule = findViolation(this.rules, this.pending);
    if (rule !== undefined) throw new GuardrailViolation(rule);
  }

  private release(cut: number, spans: ReturnType<typeof redactionSpans>): string {
    if (cut <= 0) return '';
    const head = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    const inHead = this.rules.checkOutput ? spans.filter((span) => span.end <= cut) : [];
    return applyRedactions(head, inHead);
  }
}
