/**
 * Guardrail configuration compiled once per policy version: lower-cased phrases, compiled regular
 * expressions, and the hold-back window a stream needs so that no rule can match across the boundary
 * between text already sent and text still held.
 */
import type { GuardrailsConfig } from '../../config/types.js';
import { builtinRule, type PatternRule } from './builtin-patterns.js';

export interface CompiledGuardrails {
  phrases: Array<{ name: string; lower: string }>;
  deny: PatternRule[];
  redact: PatternRule[];
  minInputChars?: number;
  maxInputChars?: number;
  disclaimer?: string;
  checkInput: boolean;
  checkOutput: boolean;
  /** Characters a stream holds back: enough for the longest phrase, and the configured window. */
  holdBack: number;
  /** Whether output needs watching at all (rules or a disclaimer). */
  watchesOutput: boolean;
}

export function compileGuardrails(config: GuardrailsConfig): CompiledGuardrails {
  const phrases = config.bannedPhrases.map((phrase, index) => ({
    name: `banned_phrases[${index}]`,
    lower: phrase.toLowerCase(),
  }));
  const deny: PatternRule[] = [
    ...config.denyPatterns.map((source, index) => ({
      name: `deny_patterns[${index}]`,
      regex: new RegExp(source, 'gi'),
    })),
    ...config.builtinDeny.map(builtinRule),
  ];
  const redact: PatternRule[] = [
    ...config.redactPatterns.map((source, index) => ({
      name: `redact_patterns[${index}]`,
      regex: new RegExp(source, 'gi'),
    })),
    ...config.builtinRedact.map(builtinRule),
  ];
  const checkInput = config.applyTo !== 'output';
  const checkOutput = config.applyTo !== 'input';
  const longestPhrase = Math.max(0, ...phrases.map((phrase) => phrase.lower.length));
  const hasRules = phrases.length + deny.length + redact.length > 0;
  return {
    phrases,
    deny,
    redact,
    ...(config.minInputChars === undefined ? {} : { minInputChars: config.minInputChars }),
    ...(config.maxInputChars === undefined ? {} : { maxInputChars: config.maxInputChars }),
    ...(config.outputDisclaimer === undefined ? {} : { disclaimer: config.outputDisclaimer }),
    checkInput,
    checkOutput,
    holdBack: Math.max(longestPhrase, deny.length + redact.length > 0 ? config.streamWindow : 0),
    watchesOutput: (checkOutput && hasRules) || config.outputDisclaimer !== undefined,
  };
}

/** The first phrase or deny rule that matches `text`, if any. */
export function findViolation(rules: CompiledGuardrails, text: string): string | undefined {
  if (rules.phrases.length > 0) {
    const lower = text.toLowerCase();
    for (const phrase of rules.phrases) if (lower.includes(phrase.lower)) return phrase.name;
  }
  for (const rule of rules.deny) {
    rule.regex.lastIndex = 0;
    for (const match of text.matchAll(rule.regex)) {
      if (!rule.accept || rule.accept(match[0])) return rule.name;
    }
  }
  return undefined;
}

export interface Span {
  start: number;
  end: number;
  rule: string;
}

/** Non-overlapping redaction spans in `text`, in order. */
export function redactionSpans(rules: CompiledGuardrails, text: string): Span[] {
  const spans: Span[] = [];
  for (const rule of rules.redact) {
    rule.regex.lastIndex = 0;
    for (const match of text.matchAll(rule.regex)) {
      if (match[0] === '' || (rule.accept && !rule.accept(match[0]))) continue;
      spans.push({ start: match.index, end: match.index + match[0].length, rule: rule.name });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

export function applyRedactions(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)}[REDACTED:${span.rule.replace(/^builtin:/, '')}]`;
    at = span.end;
  }
  return out + text.slice(at);
}

export function redactText(rules: CompiledGuardrails, text: string): string {
  return rules.redact.length === 0 ? text : applyRedactions(text, redactionSpans(rules, text));
}
